//! Tencent Cloud API "Signature v3" (`TC3-HMAC-SHA256`) request signing.
//!
//! Every call to a Tencent Cloud API endpoint must carry an `Authorization`
//! header proving that the caller holds the secret key, bound to the exact
//! body, content type, host, service and day of the request so that a
//! captured header cannot be replayed against a different request.
//!
//! This module implements only the subset the SDK sends: `POST` to `/` with an
//! empty query string and the signed headers `content-type;host`. The body
//! may be JSON (`application/json`) or raw bytes (`application/octet-stream`,
//! an octet-stream call): either way the content type signed is the one
//! sent, and the hashed payload is the SHA-256 of the exact bytes sent.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::Mutex;

/// Name of the signing algorithm, as it appears in the string to sign and in
/// the `Authorization` header.
const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// Headers covered by the signature; fixed so the server and the client agree
/// on exactly which header values are protected.
const SIGNED_HEADERS: &str = "content-type;host";

/// Terminator of the credential scope and of the key derivation chain.
const SCOPE_TERMINATOR: &str = "tc3_request";

/// Seconds in one UTC day (leap seconds do not exist in Unix time).
const SECONDS_PER_DAY: i64 = 86_400;

type HmacSha256 = Hmac<Sha256>;

/// Everything the signature depends on, borrowed from the caller so signing
/// never copies the (possibly large) request body.
///
/// The `content_type` and `payload` must be byte-for-byte what will be sent,
/// otherwise the server computes a different signature and rejects the call.
pub struct SigningParams<'a> {
    /// Public key identifier; it travels in clear text in the header.
    pub secret_id: &'a str,
    /// Secret key; never leaves this process, only HMAC outputs derived from it do.
    pub secret_key: &'a str,
    /// Service short name (e.g. `cvm`), part of the credential scope.
    pub service: &'a str,
    /// Endpoint host (e.g. `cvm.tencentcloudapi.com`), signed to prevent redirection.
    pub host: &'a str,
    /// Unix seconds of the request; the server rejects stale timestamps.
    pub timestamp: i64,
    /// Exact `Content-Type` header value that will be sent.
    pub content_type: &'a str,
    /// Exact body bytes that will be sent.
    pub payload: &'a [u8],
}

/// Hand-written so that logging the parameters can never reveal the secret key.
impl fmt::Debug for SigningParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningParams")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"***")
            .field("service", &self.service)
            .field("host", &self.host)
            .field("timestamp", &self.timestamp)
            .field("content_type", &self.content_type)
            .field("payload_len", &self.payload.len())
            .finish()
    }
}

/// Result of signing, keeping every intermediate value so that a signature
/// mismatch reported by the server can be diagnosed by comparing steps.
///
/// Holds no secret: only public inputs and one-way HMAC outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Canonical request text that was hashed.
    pub canonical_request: String,
    /// Lowercase hex SHA-256 of `canonical_request`.
    pub hashed_canonical_request: String,
    /// Text that was HMAC-ed with the derived signing key.
    pub string_to_sign: String,
    /// Lowercase hex HMAC-SHA256 signature.
    pub signature: String,
    /// Complete value for the `Authorization` header.
    pub authorization: String,
    /// UTC day (`YYYY-MM-DD`) used in the credential scope; the server checks
    /// it against `timestamp`, so it must be derived from the same instant.
    pub date: String,
}

/// Signs one request so the caller can attach `authorization` (plus the
/// `X-TC-Timestamp` header carrying the same `timestamp`) to it.
pub fn sign(params: &SigningParams<'_>) -> Signature {
    sign_cached(params, &KeyCache::default())
}

/// The signing keys derived so far, per secret key, date and service, each
/// kept as an HMAC already keyed with it. A key changes once a day per
/// service (and whenever temporary credentials are refreshed), and deriving
/// it is three of the five HMACs a signature takes; a transport keeps one
/// cache for all its calls.
#[derive(Default)]
pub struct KeyCache(Mutex<Vec<CachedKey>>);

/// One derived key: the secret key, date and service it was derived from.
struct CachedKey {
    secret_key: String,
    date: String,
    service: String,
    mac: HmacSha256,
}

/// Written by hand: the derived keys are secret.
impl fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyCache(***)")
    }
}

impl KeyCache {
    /// An HMAC keyed with the signing key of `date` and `service`.
    fn mac(&self, secret_key: &str, date: &str, service: &str) -> HmacSha256 {
        // A poisoned lock only means another call panicked; the keys are still valid.
        let mut keys = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(cached) = keys
            .iter()
            .find(|k| k.date == date && k.service == service && k.secret_key == secret_key)
        {
            return cached.mac.clone();
        }
        // Keys of another day or of replaced credentials are of no more use.
        keys.retain(|k| k.date == date && k.secret_key == secret_key);
        let mac = keyed_mac(&signing_key(secret_key, date, service));
        keys.push(CachedKey {
            secret_key: secret_key.to_owned(),
            date: date.to_owned(),
            service: service.to_owned(),
            mac: mac.clone(),
        });
        mac
    }
}

/// [`sign`], taking the signing key from `cache` (and deriving it into the
/// cache when the date or service is new).
pub fn sign_cached(params: &SigningParams<'_>, cache: &KeyCache) -> Signature {
    let date = utc_date(params.timestamp);
    let payload_hash = Hex::of(&Sha256::digest(params.payload));
    let canonical_request =
        canonical_request(params.content_type, params.host, payload_hash.as_str()).concat();
    let hashed_canonical_request = sha256_hex(canonical_request.as_bytes());
    let timestamp = params.timestamp.to_string();
    let scope = credential_scope(&date, params.service);
    let string_to_sign = string_to_sign(&timestamp, scope, &hashed_canonical_request).concat();
    let mut mac = cache.mac(params.secret_key, &date, params.service);
    mac.update(string_to_sign.as_bytes());
    let signature = Hex::of(&mac.finalize().into_bytes()).as_str().to_owned();
    let authorization = authorization(params.secret_id, scope, &signature).concat();
    Signature {
        canonical_request,
        hashed_canonical_request,
        string_to_sign,
        signature,
        authorization,
        date,
    }
}

/// The `Authorization` header value of [`sign_cached`], and nothing else:
/// what a transport sends. The same texts, from the same functions, but
/// hashed piece by piece rather than joined first, with the digests' hex on
/// the stack: one allocation, the header value, where keeping every step
/// takes eight.
pub fn authorization_cached(params: &SigningParams<'_>, cache: &KeyCache) -> String {
    let mut date = [0; DATE_CAPACITY];
    let date = utc_date_in(params.timestamp, &mut date);
    let payload_hash = Hex::of(&Sha256::digest(params.payload));
    let mut hasher = Sha256::new();
    for part in canonical_request(params.content_type, params.host, payload_hash.as_str()) {
        hasher.update(part);
    }
    let hashed_canonical_request = Hex::of(&hasher.finalize());
    let mut timestamp = itoa::Buffer::new();
    let timestamp = timestamp.format(params.timestamp);
    let scope = credential_scope(date, params.service);
    let mut mac = cache.mac(params.secret_key, date, params.service);
    for part in string_to_sign(timestamp, scope, hashed_canonical_request.as_str()) {
        mac.update(part.as_bytes());
    }
    let signature = Hex::of(&mac.finalize().into_bytes());
    authorization(params.secret_id, scope, signature.as_str()).concat()
}

/// Formats the UTC calendar day of a Unix timestamp as `YYYY-MM-DD`, because
/// the credential scope is per UTC day and this crate avoids a date-time
/// dependency.
pub fn utc_date(timestamp: i64) -> String {
    utc_date_in(timestamp, &mut [0; DATE_CAPACITY]).to_owned()
}

/// Room for the longest date [`utc_date_in`] writes: a year of `i64` days
/// (at most 12 digits and a sign), then `-MM-DD`.
const DATE_CAPACITY: usize = 24;

/// [`utc_date`], written into `buffer` rather than a new `String`.
fn utc_date_in(timestamp: i64, buffer: &mut [u8; DATE_CAPACITY]) -> &str {
    let days = timestamp.div_euclid(SECONDS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    let written = match u32::try_from(year) {
        // Every call's date: its digits put in place, without going
        // through `fmt` (`write!` was about 900 instructions a call under
        // callgrind).
        Ok(year @ 1000..=9999) => {
            put_digits(&mut buffer[..4], year);
            buffer[4] = b'-';
            put_digits(&mut buffer[5..7], month);
            buffer[7] = b'-';
            put_digits(&mut buffer[8..10], day);
            10
        }
        _ => {
            use std::io::Write;
            let mut rest = &mut buffer[..];
            write!(rest, "{year:04}-{month:02}-{day:02}")
                .expect("invariant: DATE_CAPACITY holds any year of i64 days and -MM-DD");
            DATE_CAPACITY - rest.len()
        }
    };
    std::str::from_utf8(&buffer[..written]).expect("invariant: a formatted date is ASCII")
}

/// The last `out.len()` decimal digits of `number`, zero-padded, into `out`.
fn put_digits(out: &mut [u8], mut number: u32) {
    for digit in out.iter_mut().rev() {
        *digit = b'0' + (number % 10) as u8;
        number /= 10;
    }
}

/// Howard Hinnant's `civil_from_days`: converts days since 1970-01-01 to a
/// proleptic Gregorian `(year, month, day)`, valid for negative days too.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March-based month
    let day = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Both values are within their small ranges noted above, so the casts are lossless.
    (year, month as u32, day as u32)
}

// The texts of a signature are written once each, as their pieces in
// order: joined (`concat`, one allocation at the size) where a `Signature`
// keeps them, fed to the hash piece by piece where only the header is made.

/// The canonical request for `POST /` with no query string, the only shape
/// this SDK sends.
fn canonical_request<'a>(
    content_type: &'a str,
    host: &'a str,
    hashed_payload: &'a str,
) -> [&'a str; 8] {
    [
        "POST\n/\n\ncontent-type:",
        content_type.trim(),
        "\nhost:",
        host,
        "\n\n",
        SIGNED_HEADERS,
        "\n",
        hashed_payload,
    ]
}

/// Limits the derived key to one day and one service.
fn credential_scope<'a>(date: &'a str, service: &'a str) -> [&'a str; 5] {
    [date, "/", service, "/", SCOPE_TERMINATOR]
}

/// Binds the hashed request to the algorithm, time and scope.
fn string_to_sign<'a>(
    timestamp: &'a str,
    [date, slash, service, slash_again, terminator]: [&'a str; 5],
    hashed_canonical_request: &'a str,
) -> [&'a str; 11] {
    [
        ALGORITHM,
        "\n",
        timestamp,
        "\n",
        date,
        slash,
        service,
        slash_again,
        terminator,
        "\n",
        hashed_canonical_request,
    ]
}

/// Derives the per-day, per-service signing key so the raw secret key is
/// never used directly on request data.
fn signing_key(secret_key: &str, date: &str, service: &str) -> Vec<u8> {
    let secret_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let secret_service = hmac_sha256(&secret_date, service.as_bytes());
    hmac_sha256(&secret_service, SCOPE_TERMINATOR.as_bytes())
}

/// The `Authorization` header value the server parses.
fn authorization<'a>(
    secret_id: &'a str,
    [date, slash, service, slash_again, terminator]: [&'a str; 5],
    signature: &'a str,
) -> [&'a str; 13] {
    [
        ALGORITHM,
        " Credential=",
        secret_id,
        "/",
        date,
        slash,
        service,
        slash_again,
        terminator,
        ", SignedHeaders=",
        SIGNED_HEADERS,
        ", Signature=",
        signature,
    ]
}

/// An HMAC-SHA256 keyed with `key`, ready for data.
fn keyed_mac(key: &[u8]) -> HmacSha256 {
    HmacSha256::new_from_slice(key).expect("invariant: HMAC accepts keys of any length")
}

/// HMAC-SHA256 of `data` under `key`.
fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = keyed_mac(key);
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Lowercase hex SHA-256 of `data`.
fn sha256_hex(data: &[u8]) -> String {
    Hex::of(&Sha256::digest(data)).as_str().to_owned()
}

/// The lowercase hex of a 32-byte digest, on the stack: `hex::encode` goes
/// char by char and was a quarter of the time a signature takes.
struct Hex([u8; 64]);

impl Hex {
    fn of(digest: &[u8]) -> Hex {
        let mut out = [0u8; 64];
        hex::encode_to_slice(digest, &mut out).expect("invariant: a SHA-256 digest is 32 bytes");
        Hex(out)
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("invariant: hex digits are ASCII")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
    const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
    const BODY: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;

    fn example_params(payload: &[u8]) -> SigningParams<'_> {
        SigningParams {
            secret_id: SECRET_ID,
            secret_key: SECRET_KEY,
            service: "cvm",
            host: "cvm.tencentcloudapi.com",
            timestamp: 1_551_113_065,
            content_type: "application/json; charset=utf-8",
            payload,
        }
    }

    /// Inverse of `civil_from_days` (Howard Hinnant's `days_from_civil`),
    /// used only to check the conversion round-trips.
    fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
        let (month, day) = (i64::from(month), i64::from(day));
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let mp = if month > 2 { month - 3 } else { month + 9 };
        let doy = (153 * mp + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    #[test]
    fn tencent_published_example() {
        let sig = sign(&example_params(BODY.as_bytes()));
        assert_eq!(sig.date, "2019-02-25");
        assert_eq!(
            sig.canonical_request,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        assert_eq!(
            sig.hashed_canonical_request,
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(
            sig.string_to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(
            sig.signature,
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
        assert_eq!(
            sig.authorization,
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
        let only = authorization_cached(&example_params(BODY.as_bytes()), &KeyCache::default());
        assert_eq!(only, sig.authorization);
    }

    /// An octet-stream body (bytes that are not UTF-8, NULs included) is
    /// signed over its own SHA-256 and its content type. The expected texts
    /// and signature were computed apart from this code (Python's
    /// `hashlib` and `hmac`, following Tencent's TC3 documentation).
    #[test]
    fn an_octet_stream_body_is_signed_over_its_bytes_and_content_type() {
        let payload = b"\x00\x9f\x92\x96 LogGroupList\r\n\xff\x00";
        let params = SigningParams {
            service: "cls",
            host: "cls.tencentcloudapi.com",
            content_type: "application/octet-stream",
            ..example_params(payload)
        };
        let sig = sign(&params);
        assert_eq!(
            sig.canonical_request,
            "POST\n/\n\ncontent-type:application/octet-stream\nhost:cls.tencentcloudapi.com\n\ncontent-type;host\n6fdeb60937ed6e60e425fa9ffc6d538302ff3ae8f0b076827937d858673a52c7"
        );
        assert_eq!(
            sig.hashed_canonical_request,
            "81a72195db08dd241e967ba8d1eb5057de30b430e2ab0c7b2c913cc46a8878ee"
        );
        assert_eq!(
            sig.string_to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cls/tc3_request\n81a72195db08dd241e967ba8d1eb5057de30b430e2ab0c7b2c913cc46a8878ee"
        );
        assert_eq!(
            sig.signature,
            "fb66f250a33136055e9a6a0de02b24cb7b938dbfe21aa58b1f63bdf6e07933dd"
        );
        assert_eq!(
            sig.authorization,
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cls/tc3_request, SignedHeaders=content-type;host, Signature=fb66f250a33136055e9a6a0de02b24cb7b938dbfe21aa58b1f63bdf6e07933dd"
        );
        assert_eq!(
            authorization_cached(&params, &KeyCache::default()),
            sig.authorization
        );
        // The same bytes as JSON would be another signature: the content
        // type is signed.
        let json = SigningParams {
            content_type: "application/json",
            ..params
        };
        assert_ne!(sign(&json).signature, sig.signature);
    }

    #[test]
    fn a_shared_key_cache_signs_exactly_as_a_fresh_derivation() {
        let cache = KeyCache::default();
        // Two services on one day, then the next day, then refreshed
        // credentials: each signature must match one derived from scratch.
        for (service, timestamp, secret_key) in [
            ("cvm", 1_551_113_065, "key-1"),
            ("lcic", 1_551_113_065, "key-1"),
            ("cvm", 1_551_113_066, "key-1"),
            ("cvm", 1_551_113_065 + 86_400, "key-1"),
            ("lcic", 1_551_113_065, "key-1"),
            ("lcic", 1_551_113_065, "key-2"),
            ("cvm", 1_551_113_065, "key-2"),
        ] {
            let mut params = example_params(BODY.as_bytes());
            params.service = service;
            params.timestamp = timestamp;
            params.secret_key = secret_key;
            let fresh = sign(&params);
            assert_eq!(
                sign_cached(&params, &cache),
                fresh,
                "{service} {timestamp} {secret_key}"
            );
            assert_eq!(
                authorization_cached(&params, &cache),
                fresh.authorization,
                "{service} {timestamp} {secret_key}"
            );
        }
        assert_eq!(format!("{cache:?}"), "KeyCache(***)");
    }

    #[test]
    fn one_changed_payload_byte_changes_signature() {
        let original = sign(&example_params(BODY.as_bytes()));
        let mut tampered = BODY.as_bytes().to_vec();
        tampered[10] ^= 0x01;
        let changed = sign(&example_params(&tampered));
        assert_ne!(original.signature, changed.signature);
        assert_ne!(
            original.hashed_canonical_request,
            changed.hashed_canonical_request
        );
    }

    #[test]
    fn content_type_is_trimmed() {
        let mut params = example_params(BODY.as_bytes());
        params.content_type = "  application/json; charset=utf-8 ";
        let sig = sign(&params);
        assert_eq!(
            sig.signature,
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
        assert_eq!(
            authorization_cached(&params, &KeyCache::default()),
            sig.authorization
        );
    }

    #[test]
    fn debug_of_params_hides_secret_key() {
        let text = format!("{:?}", example_params(BODY.as_bytes()));
        assert!(!text.contains(SECRET_KEY));
        assert!(text.contains("***"));
        assert!(text.contains(SECRET_ID));
    }

    #[test]
    fn signature_debug_holds_no_secret() {
        let text = format!("{:?}", sign(&example_params(BODY.as_bytes())));
        assert!(!text.contains(SECRET_KEY));
    }

    #[test]
    fn utc_date_known_dates() {
        let cases = [
            (0, "1970-01-01"),
            (86_399, "1970-01-01"),
            (86_400, "1970-01-02"),
            (-1, "1969-12-31"),
            (-86_400, "1969-12-31"),
            (-86_401, "1969-12-30"),
            (951_782_400, "2000-02-29"),
            (951_868_799, "2000-02-29"),
            (951_868_800, "2000-03-01"),
            (1_551_113_065, "2019-02-25"),
            (1_709_164_800, "2024-02-29"),
            (1_709_251_200, "2024-03-01"),
            (1_735_689_599, "2024-12-31"),
            (4_107_456_000, "2100-02-28"),
            (4_107_542_400, "2100-03-01"),
            (-2_203_891_200, "1900-03-01"),
            (253_402_300_799, "9999-12-31"),
        ];
        for (timestamp, expected) in cases {
            assert_eq!(utc_date(timestamp), expected, "timestamp {timestamp}");
        }
        // Years of other than four digits, and the widest dates, which
        // still fit the buffer they are written into.
        assert_eq!(utc_date(-62_135_596_800), "0001-01-01");
        assert_eq!(utc_date(-30_610_224_001), "0999-12-31");
        assert_eq!(utc_date(-30_610_224_000), "1000-01-01");
        assert_eq!(utc_date(253_402_300_800), "10000-01-01");
        assert_eq!(utc_date(-62_135_596_801), "0000-12-31");
        assert_eq!(utc_date(-62_167_219_201), "-001-12-31");
        assert_eq!(utc_date(i64::MIN), "-292277022657-01-27");
        assert_eq!(utc_date(i64::MAX), "292277026596-12-04");
    }

    #[test]
    fn civil_days_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 2, 29), 11_016);
        assert_eq!(days_from_civil(2019, 2, 25), 17_952);
        for days in -800_000..800_000 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
