use super::*;
use serde_json::json;

/// What a generated type looks like, written out by hand.
#[derive(Debug, PartialEq, Default)]
struct Room {
    name: String,
    size: u64,
    tags: Vec<String>,
    teacher: Option<String>,
    inner: Option<Box<Room>>,
}

impl FromJson for Room {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        let mut members = Members::new(value)?;
        let room = Room {
            name: members.read_required("Name"),
            size: members.read_defaulted("Size"),
            tags: members.read_defaulted("Tags"),
            teacher: members.read_optional("Teacher"),
            inner: members.read_optional("Inner"),
        };
        members.finish(room)
    }
}

impl ToJson for Room {
    fn write_json(&self, out: &mut Writer) {
        let mut members = out.object();
        members.member("Name", &self.name);
        members.member("Size", &self.size);
        members.member("Tags", &self.tags);
        members.member("Teacher", &self.teacher);
        members.member("Inner", &self.inner);
        members.finish();
    }
}

fn decode(value: Value) -> Result<Room, String> {
    Room::from_json(value).map_err(|e| e.to_string())
}

fn written<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = Writer::default();
    value.write_json(&mut out);
    String::from_utf8(out.into_bytes()).expect("JSON text is UTF-8")
}

/// The exact bytes a request body is made of: compact, members in the
/// order the type lists them, unset ones left out, strings escaped.
#[test]
fn written_bytes() {
    let room = Room {
        name: "a \"quoted\" \\ 名\n".into(),
        size: 3,
        tags: vec!["x".into(), "y".into()],
        teacher: None,
        inner: Some(Box::new(Room::default())),
    };
    assert_eq!(
        written(&room),
        r#"{"Name":"a \"quoted\" \\ 名\n","Size":3,"Tags":["x","y"],"Inner":{"Name":"","Size":0,"Tags":[]}}"#
    );
    struct Empty;
    impl ToJson for Empty {
        fn write_json(&self, out: &mut Writer) {
            out.object().finish();
        }
    }
    assert_eq!(written(&Empty), "{}");
    assert_eq!(
        written(&vec![Some(1.5), None, Some(f64::NAN)]),
        "[1.5,null,null]"
    );
    assert_eq!(written(&-7i64), "-7");
    assert_eq!(written(&json!({"k": [true, null]})), r#"{"k":[true,null]}"#);
    // A non-finite number has no JSON form: as a member it is unset.
    struct Ratio(f64, Option<f64>);
    impl ToJson for Ratio {
        fn write_json(&self, out: &mut Writer) {
            let mut members = out.object();
            members.member("A", &self.0);
            members.member("B", &self.1);
            members.finish();
        }
    }
    assert_eq!(written(&Ratio(f64::INFINITY, Some(f64::NAN))), "{}");
    assert_eq!(written(&Ratio(0.5, Some(2.0))), r#"{"A":0.5,"B":2.0}"#);
    assert_eq!(Ratio(0.5, None).to_json(), json!({"A": 0.5}));
}

#[test]
fn null_and_missing_are_unset_and_unknown_members_are_ignored() {
    let room = decode(json!({"Name": "a", "Size": null, "Teacher": null, "New": 1})).unwrap();
    assert_eq!(
        room,
        Room {
            name: "a".into(),
            ..Room::default()
        }
    );
    assert_eq!(room.to_json(), json!({"Name": "a", "Size": 0, "Tags": []}));
}

#[test]
fn values_round_trip() {
    let value = json!({"Name": "a", "Size": 3, "Tags": ["x", "y"], "Teacher": "t",
        "Inner": {"Name": "b", "Size": 0, "Tags": []}});
    assert_eq!(decode(value.clone()).unwrap().to_json(), value);
}

#[test]
fn errors_name_the_path_and_the_mismatch() {
    let cases = [
        (json!({}), "at `Name`: missing required member"),
        (json!({"Name": null}), "at `Name`: missing required member"),
        (json!([]), "expected an object, found an array"),
        (
            json!({"Name": true}),
            "at `Name`: expected a string, found a boolean",
        ),
        (
            json!({"Name": "a", "Size": -1}),
            "at `Size`: expected an unsigned integer, found a negative integer",
        ),
        (
            json!({"Name": "a", "Size": 1.5}),
            "at `Size`: expected an unsigned integer, found a fractional number",
        ),
        (
            json!({"Name": "a", "Tags": ["x", false]}),
            "at `Tags[1]`: expected a string, found a boolean",
        ),
        (
            json!({"Name": "a", "Inner": {"Name": "b", "Tags": [{}]}}),
            "at `Inner.Tags[0]`: expected a string, found an object",
        ),
    ];
    for (value, want) in cases {
        assert_eq!(decode(value.clone()).unwrap_err(), want, "{value}");
    }
}

/// The same members read with one `?` each (the generated code before
/// `read_…` and `finish`), and with a required member of a type without
/// `Default` read with `?` after others were read the `read_…` way.
#[derive(Debug, PartialEq)]
struct Checked(Room);

impl FromJson for Checked {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        let mut members = Members::new(value)?;
        Ok(Checked(Room {
            name: members.required("Name")?,
            size: members.defaulted("Size")?,
            tags: members.defaulted("Tags")?,
            teacher: members.optional("Teacher")?,
            inner: members.optional("Inner")?,
        }))
    }
}

#[derive(Debug, PartialEq)]
struct Mixed(Room, Checked);

impl FromJson for Mixed {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        let mut members = Members::new(value)?;
        let size = members.read_defaulted("Size");
        let tags = members.read_defaulted("Tags");
        let checked = members.required("Checked")?;
        let mixed = Mixed(
            Room {
                name: members.read_required("Name"),
                size,
                tags,
                teacher: members.read_optional("Teacher"),
                inner: members.read_optional("Inner"),
            },
            checked,
        );
        members.finish(mixed)
    }
}

/// Reading every member and returning the first error gives exactly the
/// error (message and path) that one early return per member gives.
#[test]
fn the_first_error_in_read_order_is_the_one_returned() {
    let rooms = [
        json!({}),
        json!({"Name": true, "Size": "x", "Tags": [1, {}], "Inner": []}),
        json!({"Name": "a", "Size": -1, "Tags": [{}], "Inner": {"Size": true}}),
        json!({"Name": "a", "Tags": "x", "Teacher": []}),
        json!({"Name": "a", "Teacher": {}, "Inner": {"Name": null}}),
        json!({"Name": "a", "Inner": {"Name": "b", "Tags": [true]}, "Teacher": 2}),
        json!({"Name": "a", "Size": 2}),
        json!([]),
    ];
    for room in &rooms {
        let checked = Checked::from_json(room.clone()).map(|c| c.0);
        assert_eq!(Room::from_json(room.clone()), checked, "{room}");
    }
    let first = Room::from_json(rooms[1].clone()).unwrap_err();
    assert_eq!(
        first.to_string(),
        "at `Name`: expected a string, found a boolean"
    );
    // `required` with `?` after `read_…` methods: the first error kept
    // before it comes first, then its own, then those after it.
    let cases = [
        (
            json!({"Size": "x", "Checked": {}}),
            "at `Size`: expected an unsigned integer, found a string",
        ),
        (
            json!({"Checked": {}, "Teacher": 1}),
            "at `Checked.Name`: missing required member",
        ),
        (
            json!({"Tags": 1}),
            "at `Tags`: expected an array, found an integer",
        ),
        (
            json!({"Checked": {"Name": "c"}, "Teacher": true}),
            "at `Name`: missing required member",
        ),
        (
            json!({"Checked": {"Name": "c"}, "Name": "a", "Inner": 3}),
            "at `Inner`: expected an object, found an integer",
        ),
    ];
    for (value, want) in cases {
        assert_eq!(
            Mixed::from_json(value.clone()).unwrap_err().to_string(),
            want,
            "{value}"
        );
    }
    let mixed =
        Mixed::from_json(json!({"Checked": {"Name": "c"}, "Name": "a", "Size": 1})).unwrap();
    assert_eq!((mixed.0.size, mixed.1 .0.name.as_str()), (1, "c"));
}

#[test]
fn scalars_accept_exactly_their_range() {
    assert_eq!(i64::from_json(json!(-5)), Ok(-5));
    assert!(i64::from_json(json!(u64::MAX)).is_err());
    assert_eq!(u64::from_json(json!(u64::MAX)), Ok(u64::MAX));
    assert_eq!(f64::from_json(json!(2)), Ok(2.0));
    assert!(bool::from_json(json!("true")).is_err());
    assert_eq!(f64::NAN.to_json(), Value::Null);
}

/// What Tencent's own examples send that the spec does not declare, when
/// the meaning is plain, decodes.
#[test]
fn tolerated_disagreements_decode() {
    // An integer or a float given as a string holding a number.
    assert_eq!(u64::from_json(json!("10")), Ok(10));
    assert_eq!(i64::from_json(json!("-3")), Ok(-3));
    assert_eq!(f64::from_json(json!("1.5")), Ok(1.5));
    assert_eq!(f64::from_json(json!("-2e3")), Ok(-2000.0));
    assert_eq!(f64::from_json(json!("7")), Ok(7.0));
    // A string given as a number: its JSON text.
    assert_eq!(String::from_json(json!(10)), Ok("10".to_owned()));
    assert_eq!(String::from_json(json!(-3)), Ok("-3".to_owned()));
    assert_eq!(String::from_json(json!(0.25)), Ok("0.25".to_owned()));
    // `""` (and `null`) for an optional or defaulted object or list: unset.
    let room = decode(json!({"Name": "a", "Size": "4", "Tags": "", "Inner": ""})).unwrap();
    assert_eq!(
        room,
        Room {
            name: "a".into(),
            size: 4,
            ..Room::default()
        }
    );
    let room = decode(json!({"Name": 5, "Tags": null, "Inner": null, "Teacher": ""})).unwrap();
    assert_eq!(room.name, "5");
    assert_eq!(
        room.teacher.as_deref(),
        Some(""),
        "an empty string is a string"
    );
}

/// Everything outside the tolerated cases still fails, with the path.
#[test]
fn other_disagreements_still_fail_with_the_path() {
    // A string is a number only when it spells one exactly; one that does
    // is judged as that number.
    for (size, found) in [
        ("ten", "a string"),
        ("-1", "a negative integer"),
        ("1.5", "a fractional number"),
        (" 1", "a string"),
        ("", "a string"),
        ("NaN", "a string"),
    ] {
        assert_eq!(
            decode(json!({"Name": "a", "Size": size})).unwrap_err(),
            format!("at `Size`: expected an unsigned integer, found {found}"),
            "Size {size:?}"
        );
    }
    let cases = [
        (
            json!({"Name": "a", "Size": true}),
            "at `Size`: expected an unsigned integer, found a boolean",
        ),
        (
            json!({"Name": [1]}),
            "at `Name`: expected a string, found an array",
        ),
        (
            json!({"Name": "a", "Tags": "x"}),
            "at `Tags`: expected an array, found a string",
        ),
        (
            json!({"Name": "a", "Tags": {}}),
            "at `Tags`: expected an array, found an object",
        ),
        (
            json!({"Name": "a", "Inner": "x"}),
            "at `Inner`: expected an object, found a string",
        ),
        (
            json!({"Name": "a", "Inner": {"Name": ""}, "Tags": [""]}),
            "",
        ),
        (
            json!({"Name": "a", "Inner": {"Tags": ""}}),
            "at `Inner.Name`: missing required member",
        ),
        (json!(""), "expected an object, found a string"),
    ];
    for (value, want) in cases {
        match decode(value.clone()) {
            Ok(_) if want.is_empty() => {}
            Ok(room) => panic!("{value} decoded: {room:?}"),
            Err(got) => assert_eq!(got, want, "{value}"),
        }
    }
    // A list element is not optional: `""` there is a mismatch.
    assert_eq!(
        Vec::<Room>::from_json(json!([""])).unwrap_err().to_string(),
        "at `[0]`: expected an object, found a string"
    );
}

crate::serde_via_json!(Room);

#[test]
fn serde_impls_go_through_the_same_rules() {
    let room: Room = serde_json::from_str(r#"{"Name":"a","Size":2}"#).unwrap();
    assert_eq!(room.size, 2);
    let err = serde_json::from_str::<Room>(r#"{"Size":2}"#)
        .unwrap_err()
        .to_string();
    assert_eq!(err, "at `Name`: missing required member");
    assert_eq!(
        serde_json::to_string(&room).unwrap(),
        r#"{"Name":"a","Size":2,"Tags":[]}"#
    );
}

/// The `Serde` wrapper gives the same impls to a type without them: checked
/// against JSON written here, not against the type's own serde impls.
#[test]
fn the_serde_wrapper_encodes_and_decodes_by_the_same_rules() {
    let room = Room {
        name: "a".into(),
        size: 2,
        tags: vec!["x".into()],
        teacher: None,
        inner: Some(Box::new(Room {
            name: "b".into(),
            teacher: Some("t".into()),
            ..Room::default()
        })),
    };
    assert_eq!(
        serde_json::to_string(&Serde(&room)).unwrap(),
        r#"{"Inner":{"Name":"b","Size":0,"Tags":[],"Teacher":"t"},"Name":"a","Size":2,"Tags":["x"]}"#
    );
    assert_eq!(
        serde_json::to_value(Serde(&room)).unwrap(),
        json!({"Name": "a", "Size": 2, "Tags": ["x"],
            "Inner": {"Name": "b", "Size": 0, "Tags": [], "Teacher": "t"}})
    );
    let Serde(wrapped) = serde_json::from_str::<Serde<Room>>(
        r#"{"Name":"a","Size":"2","Tags":["x"],"Teacher":null,"Inner":{"Name":"b","Teacher":"t"},"New":1}"#,
    )
    .unwrap();
    assert_eq!(wrapped, room);
    let Serde(wrapped) = serde_json::from_value::<Serde<Room>>(json!({"Name": "c", "Tags": ""}))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        wrapped,
        Room {
            name: "c".into(),
            ..Room::default()
        }
    );
    for (body, want) in [
        (r#"{"Size":2}"#, "at `Name`: missing required member"),
        (
            r#"{"Name":"a","Size":-1}"#,
            "at `Size`: expected an unsigned integer, found a negative integer",
        ),
        (
            r#"{"Name":"a","Inner":{"Name":true}}"#,
            "at `Inner.Name`: expected a string, found a boolean",
        ),
    ] {
        let err = serde_json::from_str::<Serde<Room>>(body).unwrap_err();
        assert_eq!(err.to_string(), want, "{body}");
    }
}

/// A request with a client token, as generated, and one nested in it.
#[derive(Default)]
struct Create {
    count: u64,
    client_token: Option<String>,
    inner: Option<Box<Create>>,
}

impl ToJson for Create {
    fn write_json(&self, out: &mut Writer) {
        let mut members = out.object();
        members.member("Count", &self.count);
        members.member("ClientToken", &self.client_token);
        members.member("Inner", &self.inner);
        members.finish();
    }
}

/// `value` written filling `ClientToken` with `token`: the text and the
/// token reported.
fn filled<T: ToJson + ?Sized>(value: &T, token: &str) -> (String, Option<String>) {
    let mut out = Writer::default().filling("ClientToken", token.into());
    value.write_json(&mut out);
    let sent = out.filled_token().map(str::to_owned);
    let text = String::from_utf8(out.into_bytes()).expect("JSON text is UTF-8");
    (text, sent)
}

/// An unset, empty or non-string member is filled where the object writes
/// it; a nested object's member of the same name is left as it is.
#[test]
fn filling_writes_the_token_in_place_of_an_unset_or_empty_member() {
    for own in [None, Some(String::new())] {
        let request = Create {
            count: 1,
            client_token: own.clone(),
            inner: Some(Box::new(Create::default())),
        };
        assert_eq!(
            filled(&request, "t"),
            (
                r#"{"Count":1,"ClientToken":"t","Inner":{"Count":0}}"#.into(),
                Some("t".into())
            ),
            "{own:?}"
        );
    }
    let nested = Create {
        inner: Some(Box::new(Create {
            client_token: Some(String::new()),
            ..Create::default()
        })),
        ..Create::default()
    };
    assert_eq!(
        filled(&nested, "t").0,
        r#"{"Count":0,"ClientToken":"t","Inner":{"Count":0,"ClientToken":""}}"#
    );
    let number = json!({"ClientToken": 7, "Inner": {"ClientToken": null}});
    assert_eq!(
        filled(&number, "t").0,
        r#"{"ClientToken":"t","Inner":{"ClientToken":null}}"#
    );
}

/// A token the object writes is kept, bytes and all, and reported unescaped.
#[test]
fn filling_keeps_a_token_the_object_writes() {
    let own = "a \"quoted\" \\ 名\n\u{1}";
    let request = Create {
        client_token: Some(own.into()),
        ..Create::default()
    };
    let (text, sent) = filled(&request, "t");
    assert_eq!(text, written(&request));
    assert_eq!(sent.as_deref(), Some(own));
}

/// An object that never writes the member gets it last; the rest of its
/// text is what it writes by itself.
#[test]
fn filling_adds_a_member_the_object_never_writes() {
    let room = Room {
        name: "r".into(),
        inner: Some(Box::new(Room::default())),
        ..Room::default()
    };
    let plain = written(&room);
    let expected = format!(
        "{},\"ClientToken\":\"t\"}}",
        plain.strip_suffix('}').unwrap()
    );
    assert_eq!(filled(&room, "t"), (expected, Some("t".into())));
    assert_eq!(
        filled(&Create::default(), "t").0,
        r#"{"Count":0,"ClientToken":"t"}"#
    );
    let empty = json!({});
    assert_eq!(filled(&empty, "t").0, r#"{"ClientToken":"t"}"#);
}

/// A request given as a `Value` is written as serde_json writes it (nulls,
/// numbers, key order), the member filled.
#[test]
fn filling_a_value_keeps_its_text() {
    let request = json!({
        "Z": null,
        "Big": 12_345_678_901_234_567_890_u64,
        "One": 1.0,
        "Nested": {"ClientToken": ""},
        "ClientToken": null,
    });
    let (text, sent) = filled(&request, "t");
    let plain = written(&request).replace(r#""ClientToken":null"#, r#""ClientToken":"t""#);
    assert_eq!(text, plain);
    assert!(text.contains(r#""Big":12345678901234567890,"#), "{text}");
    assert!(text.contains(r#""Nested":{"ClientToken":""}"#), "{text}");
    assert_eq!(sent.as_deref(), Some("t"));
    let own = json!({"ClientToken": "mine", "A": [1.5]});
    assert_eq!(filled(&own, "t"), (written(&own), Some("mine".into())));
}

/// Only an outermost object has the member; without one nothing is filled.
#[test]
fn filling_needs_an_outermost_object() {
    let list = vec![Create::default()];
    assert_eq!(filled(&list, "t"), (written(&list), None));
    assert_eq!(filled("text", "t"), (written("text"), None));
    let mut out = Writer::default();
    Create::default().write_json(&mut out);
    assert_eq!(out.filled_token(), None, "not filling");
}

/// `value` written setting `Stream` to `true` and filling `ClientToken`
/// with `token`: the text and the token reported.
fn set_and_filled<T: ToJson + ?Sized>(value: &T, token: &str) -> (String, Option<String>) {
    let mut out = Writer::default()
        .setting("Stream", &true)
        .filling("ClientToken", token.into());
    value.write_json(&mut out);
    let sent = out.filled_token().map(str::to_owned);
    let text = String::from_utf8(out.into_bytes()).expect("JSON text is UTF-8");
    (text, sent)
}

/// A set member is written as the value given, where the object writes
/// it (whatever it holds) or last; the other bytes are the object's own.
#[test]
fn setting_overrides_the_member_wherever_it_is() {
    for own in [json!(false), json!(null), json!("yes"), json!(true)] {
        let request = json!({"A": 1.0, "Stream": own, "Z": {"Stream": false}});
        let (text, sent) = set_and_filled(&request, "t");
        // The outermost member only: the nested one comes later.
        let expected =
            written(&request).replacen(&format!(r#""Stream":{own}"#), r#""Stream":true"#, 1);
        assert_eq!(
            text,
            format!(
                "{},\"ClientToken\":\"t\"}}",
                expected.strip_suffix('}').unwrap()
            ),
            "{own}"
        );
        assert!(text.contains(r#""Z":{"Stream":false}"#), "{text}");
        assert_eq!(sent.as_deref(), Some("t"));
    }
}

/// Several members never written are added last, in the order given; a
/// token the object writes is still kept.
#[test]
fn several_members_are_filled_in_one_pass() {
    let (text, sent) = set_and_filled(&Create::default(), "t");
    assert_eq!(text, r#"{"Count":0,"ClientToken":"t","Stream":true}"#);
    assert_eq!(sent.as_deref(), Some("t"));
    let own = Create {
        client_token: Some("mine".into()),
        ..Create::default()
    };
    let (text, sent) = set_and_filled(&own, "t");
    assert_eq!(text, r#"{"Count":0,"ClientToken":"mine","Stream":true}"#);
    assert_eq!(sent.as_deref(), Some("mine"));
    let room = Room {
        name: "r".into(),
        ..Room::default()
    };
    let (text, _) = set_and_filled(&room, "t");
    let plain = written(&room);
    assert_eq!(
        text,
        format!(
            "{},\"Stream\":true,\"ClientToken\":\"t\"}}",
            plain.strip_suffix('}').unwrap()
        )
    );
}

/// Naming a member again replaces its value; any `ToJson` value can be set.
#[test]
fn setting_a_member_again_replaces_it() {
    let mut out = Writer::default()
        .setting("Stream", &false)
        .setting("Mode", "fast")
        .setting("Stream", &true);
    json!({}).write_json(&mut out);
    assert_eq!(out.as_bytes(), br#"{"Mode":"fast","Stream":true}"#);
    assert_eq!(out.filled_token(), None, "no token member");
}

/// `parse` keeps the text of exactly the numbers a `Value` would change,
/// and nothing else: strings (with escapes and digits inside), literals and
/// numbers that read back as written are as `serde_json` parses them.
#[test]
fn parse_quotes_only_the_numbers_a_value_would_change() {
    for (text, want) in [
        ("10", json!(10)),
        ("-3", json!(-3)),
        ("0.25", json!(0.25)),
        ("1.0", json!(1.0)),
        ("18446744073709551615", json!(u64::MAX)),
        ("-9223372036854775808", json!(i64::MIN)),
        ("123456789012345678", json!(123456789012345678_u64)),
        ("1.50", json!("1.50")),
        ("1e3", json!("1e3")),
        ("-0", json!("-0")),
        ("2.5E-5", json!("2.5E-5")),
        ("18446744073709551616", json!("18446744073709551616")),
        (
            "123456789012345678901234",
            json!("123456789012345678901234"),
        ),
        (
            "0.1000000000000000055511151231257827",
            json!("0.1000000000000000055511151231257827"),
        ),
    ] {
        assert_eq!(parse(text).unwrap(), want, "{text}");
        // Whatever a number member made of it, it makes of the text.
        let plain: Value = serde_json::from_str(text).unwrap();
        assert_eq!(
            f64::from_json(parse(text).unwrap()),
            f64::from_json(plain.clone()),
            "{text}"
        );
        assert_eq!(
            u64::from_json(parse(text).unwrap()),
            u64::from_json(plain.clone()),
            "{text}"
        );
        assert_eq!(
            i64::from_json(parse(text).unwrap()),
            i64::from_json(plain),
            "{text}"
        );
        assert_eq!(String::from_json(parse(text).unwrap()).unwrap(), text);
    }
    let text = r#" {"a\"1.50": ["x\\", 1.50, true, null, -0, "1e3"], "b":{"c":1e3}} "#;
    assert_eq!(
        parse(text).unwrap(),
        json!({"a\"1.50": ["x\\", "1.50", true, null, "-0", "1e3"], "b": {"c": "1e3"}})
    );
    // Invalid text is refused as serde_json refuses it, at its place.
    for bad in ["[1.50,", "{\"a\": 01}", "[1.2.3]", "\"open", "[1.50 2]"] {
        let want = serde_json::from_str::<Value>(bad).unwrap_err().to_string();
        assert_eq!(parse(bad).unwrap_err().to_string(), want, "{bad}");
    }
}

/// Decoding by `Value` takes the JSON as it came; by a type made of
/// members, the exact text: the rule is one constant per type.
#[test]
fn only_values_ask_for_the_json_as_it_came() {
    const fn exact<T: FromJson>() -> bool {
        T::FROM_EXACT_TEXT
    }
    assert!(!exact::<Value>() && !exact::<Vec<Value>>() && !exact::<Option<Box<Value>>>());
    assert!(exact::<Room>() && exact::<String>() && exact::<Vec<Option<u64>>>());
}
