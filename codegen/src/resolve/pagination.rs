//! Which actions are paged, and how: decided once, here, from the members of
//! each action's request and response.
//!
//! # The rules
//!
//! An action *looks paged* when its request has `Offset` and `Limit`, a
//! page-number member ([`PAGE_NUMBERS`], [`PAGE_INDEXES`]), or a token member
//! ([`TOKENS`]). A paged-looking action is *recognised* by the first rule that
//! fits, in this order:
//!
//! 1. **Offset and limit**: integer `Offset` and `Limit` in the request. The
//!    response's total is the first integer member named in [`TOTALS`], if any.
//! 2. **Page number**: an integer member of [`PAGE_NUMBERS`] and an integer
//!    page size, the first of [`PAGE_SIZES`]. Total as above. Where pages
//!    start (0 or 1) is learned from the spec ([`FirstPage`](crate::ir::FirstPage)); when
//!    it is not, the paginator asks the caller for the first page. A member
//!    of [`PAGE_INDEXES`] is a page number only when the spec says where it
//!    starts.
//! 3. **Token**: an optional string member of [`TOKENS`] in the request, and a
//!    string member of the response with the same name or `Next` + the name
//!    (`Cursor` → `NextCursor`).
//!
//! The *lists* a page carries are the response's top-level list members or,
//! when it has none, the list members of the object its one object member
//! holds (`Data: {List, Total}`); the total is looked for at the top level,
//! then in that object. With exactly one list the paginator gets an item
//! stream. Offset and page-number paging count the items of each page, so
//! they need a list; token paging does not.
//!
//! Every other paged-looking action is [`Paging::Unrecognised`], with the
//! reason (a string `Offset`, a `PageIndex` that may start at 0 or 1, a token the
//! response does not return, the list nested in an object...), so the
//! catalog count (`cargo xtask paginators`) can list them.

use super::first_page::FirstPage;
use crate::ir::{Action, Field, Object, Presence, Scalar, Type};
use crate::naming;

/// The offset member of offset paging.
pub const OFFSET: &str = "Offset";
/// The page-size member of offset paging.
pub const LIMIT: &str = "Limit";
/// Page-size members of page-number paging, by preference.
pub const PAGE_SIZES: &[&str] = &["PageSize", "PerPage", "Limit"];
/// Page-number members.
pub const PAGE_NUMBERS: &[&str] = &["PageNumber", "PageNum", "Page", "PageNo"];
/// Page members that are page numbers only where the spec says whether they
/// start at 0 or 1 (no paginator of theirs ever guessed); paged-looking otherwise.
pub const PAGE_INDEXES: &[&str] = &["PageIndex", "CurrentPage"];
/// Request members that carry a continuation token.
pub const TOKENS: &[&str] = &[
    "NextToken",
    "Cursor",
    "Context",
    "PageToken",
    "ScrollToken",
    "PaginationToken",
    "ScrollId",
    "SearchAfter",
    "Marker",
    "ContinueToken",
];
/// Response members holding the total number of items, by preference.
pub const TOTALS: &[&str] = &["TotalCount", "Total", "TotalNum", "TotalCnt", "TotalNumber"];

/// Whether and how an action is paged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paging {
    /// Nothing in the request looks like paging.
    NotPaged,
    /// A recognised pattern: the action gets a paginator.
    Paged(Pagination),
    /// Looks paged, fits no rule; why.
    Unrecognised(String),
}

/// A member of the response: one of its fields, or a field of the object
/// one of its fields holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// The response field holding the object, when the member is inside one.
    pub within: Option<usize>,
    /// The field: of the response, or of the object `within` holds.
    pub field: usize,
}

impl Place {
    /// A field of the response itself.
    pub fn top(field: usize) -> Place {
        Place {
            within: None,
            field,
        }
    }
}

/// A recognised pattern, with the members it reads and writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// How the next page is asked for.
    pub pattern: PagePattern,
    /// The list members a page carries.
    pub lists: Vec<Place>,
    /// The client method that returns the paginator.
    pub method: String,
}

impl Pagination {
    /// The list the pages carry, when the response has exactly one.
    pub fn items(&self) -> Option<Place> {
        match self.lists[..] {
            [only] => Some(only),
            _ => None,
        }
    }
}

/// The three patterns. Request members are indexes into the fields of the
/// action's request (`offset`, `limit`, `page`, `size`, `request`); the
/// token of the response is a top-level field, the total a [`Place`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagePattern {
    /// `Offset` advances by the items received; ends at the total, or at an
    /// empty or short page.
    OffsetLimit {
        /// `Offset`.
        offset: usize,
        /// `Limit`.
        limit: usize,
        /// The total, when the response has one.
        total: Option<Place>,
    },
    /// The page number advances by one; ends at the total, or at an empty or short page.
    PageNumber {
        /// The page number.
        page: usize,
        /// Where page numbers start.
        first: FirstPage,
        /// The page size.
        size: usize,
        /// The total, when the response has one.
        total: Option<Place>,
    },
    /// The response's token is sent back; ends when it is absent, empty or repeated.
    Token {
        /// The request's token.
        request: usize,
        /// The response's token.
        response: usize,
    },
}

impl PagePattern {
    /// Its name in docs and counts.
    pub fn label(&self) -> &'static str {
        match self {
            PagePattern::OffsetLimit { total: Some(_), .. } => "offset/limit with a total",
            PagePattern::OffsetLimit { total: None, .. } => "offset/limit without a total",
            PagePattern::PageNumber { .. } => "page number and page size",
            PagePattern::Token { .. } => "token",
        }
    }
}

/// The first page of an action's page member, as [`super::first_page`]
/// learns it.
pub(super) type FirstPageOf<'a> = dyn Fn(&Action, &Field) -> FirstPage + 'a;

/// Decides the paging of every action; `methods` are taken into account so
/// that a paginator's name never collides with an action's method.
pub(super) fn recognise_all(actions: &mut [Action], objects: &[Object], first_page: &FirstPageOf) {
    let methods: Vec<String> = actions.iter().map(|a| a.method.clone()).collect();
    for action in actions.iter_mut() {
        let input = &objects[action.input.0];
        let output = &objects[action.output.0];
        let first = |field: usize| first_page(action, &input.fields[field]);
        action.paging = match recognise(input, output, objects, &first) {
            Recognised::Paged(pattern, lists) => {
                let method = naming::paginator(&action.method);
                if methods.contains(&method) {
                    Paging::Unrecognised(format!("the paginator's name `{method}` is an action's"))
                } else {
                    Paging::Paged(Pagination {
                        pattern,
                        lists,
                        method,
                    })
                }
            }
            Recognised::NotPaged => Paging::NotPaged,
            Recognised::Unrecognised(reason) => Paging::Unrecognised(reason),
        };
    }
}

/// The outcome of the rules, before naming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recognised {
    /// A pattern and the lists a page carries.
    Paged(PagePattern, Vec<Place>),
    /// Not paged-looking.
    NotPaged,
    /// Paged-looking; why it fits no rule.
    Unrecognised(String),
}

/// The rules of the module docs, applied to one request and response;
/// `objects` are the version's, which the response's members refer to, and
/// `first_page` tells where the request field it is given starts counting.
/// The request's paging members decide the pattern, in the docs' order.
pub fn recognise(
    input: &Object,
    output: &Object,
    objects: &[Object],
    first_page: &dyn Fn(usize) -> FirstPage,
) -> Recognised {
    let (lists, holder) = page_lists(output, objects);
    let page = Page {
        input,
        output,
        lists,
        total: total(output, holder),
    };
    if member(input, OFFSET).is_some() && member(input, LIMIT).is_some() {
        return page.offset_limit();
    }
    if let Some(name) = PAGE_NUMBERS.iter().find(|n| member(input, n).is_some()) {
        return page.page_number(name, first_page);
    }
    if let Some(name) = PAGE_INDEXES.iter().find(|n| member(input, n).is_some()) {
        let known = member(input, name).is_some_and(|i| first_page(i) != FirstPage::Unknown);
        if !known {
            return Recognised::Unrecognised(format!(
                "`{name}`: the spec does not say whether the first page is 0 or 1"
            ));
        }
        return page.page_number(name, first_page);
    }
    if let Some(name) = TOKENS.iter().find(|n| member(input, n).is_some()) {
        return page.token(name);
    }
    Recognised::NotPaged
}

/// The total count of items: a top-level integer, or one in the member
/// holding the lists.
fn total(output: &Object, holder: Option<(usize, &Object)>) -> Option<Place> {
    TOTALS
        .iter()
        .find_map(|name| integer(output, name))
        .map(Place::top)
        .or_else(|| {
            let (within, inner) = holder?;
            let field = TOTALS.iter().find_map(|name| integer(inner, name))?;
            Some(Place {
                within: Some(within),
                field,
            })
        })
}

/// What every pattern's rule reads of an action.
struct Page<'a> {
    input: &'a Object,
    output: &'a Object,
    lists: Vec<Place>,
    total: Option<Place>,
}

impl Page<'_> {
    /// `pattern`, when the response has a list to count a page's items by.
    fn paged(self, pattern: PagePattern) -> Recognised {
        if self.lists.is_empty() {
            return Recognised::Unrecognised(
                "the response has no list to count a page's items by, at its top level or in its one object member".into(),
            );
        }
        Recognised::Paged(pattern, self.lists)
    }

    /// `Offset` and `Limit`, both integers.
    fn offset_limit(self) -> Recognised {
        match (integer(self.input, OFFSET), integer(self.input, LIMIT)) {
            (Some(offset), Some(limit)) => {
                let total = self.total;
                self.paged(PagePattern::OffsetLimit {
                    offset,
                    limit,
                    total,
                })
            }
            _ => {
                let ty = |name| {
                    member(self.input, name)
                        .map_or_else(String::new, |i| type_name(&self.input.fields[i].ty))
                };
                Recognised::Unrecognised(format!(
                    "`Offset` is {} and `Limit` {}: not both integers",
                    ty(OFFSET),
                    ty(LIMIT)
                ))
            }
        }
    }

    /// A page number `name` and a page size, both integers.
    fn page_number(self, name: &str, first_page: &dyn Fn(usize) -> FirstPage) -> Recognised {
        let size = PAGE_SIZES.iter().find_map(|n| integer(self.input, n));
        match (integer(self.input, name), size) {
            (None, _) => Recognised::Unrecognised(format!("`{name}` is not an integer")),
            (_, None) => Recognised::Unrecognised(format!(
                "`{name}` without an integer page size ({})",
                PAGE_SIZES.join(", ")
            )),
            (Some(page), Some(size)) => {
                let total = self.total;
                let first = first_page(page);
                self.paged(PagePattern::PageNumber {
                    page,
                    first,
                    size,
                    total,
                })
            }
        }
    }

    /// An optional string token `name` sent back as `name` or `Next<name>`.
    fn token(self, name: &str) -> Recognised {
        let request = member(self.input, name).expect("the caller found `name` in the request");
        let field = &self.input.fields[request];
        if field.ty != Type::Scalar(Scalar::String) {
            return Recognised::Unrecognised(format!(
                "`{name}` is {}, not a string",
                type_name(&field.ty)
            ));
        }
        if field.presence != Presence::Optional {
            return Recognised::Unrecognised(format!(
                "`{name}` is required: the first page has no token to send"
            ));
        }
        // `Cursor` comes back as `Cursor` or `NextCursor`; `NextToken` as `NextToken`.
        let mut answers = vec![name.to_string()];
        if !name.starts_with("Next") {
            answers.push(format!("Next{name}"));
        }
        let output = self.output;
        let response = answers.iter().find_map(|n| {
            member(output, n).filter(|&i| output.fields[i].ty == Type::Scalar(Scalar::String))
        });
        match response {
            Some(response) => {
                Recognised::Paged(PagePattern::Token { request, response }, self.lists)
            }
            None => Recognised::Unrecognised(format!(
                "`{name}` in the request, no string {} in the response",
                answers
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )),
        }
    }
}

/// The lists a page carries, and the response member holding them (with
/// its object) when they are not top-level.
fn page_lists<'a>(
    output: &Object,
    objects: &'a [Object],
) -> (Vec<Place>, Option<(usize, &'a Object)>) {
    let lists_of = |object: &Object| -> Vec<usize> {
        let fields = object.fields.iter().enumerate();
        fields
            .filter(|(_, f)| matches!(f.ty, Type::List(_)))
            .map(|(i, _)| i)
            .collect()
    };
    let top = lists_of(output);
    if !top.is_empty() {
        return (top.into_iter().map(Place::top).collect(), None);
    }
    let mut holders = output
        .fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| match f.ty {
            Type::Object(id) => Some((i, &objects[id.0])),
            _ => None,
        });
    match (holders.next(), holders.next()) {
        (Some((within, inner)), None) => {
            let lists = lists_of(inner).into_iter().map(|field| Place {
                within: Some(within),
                field,
            });
            (lists.collect(), Some((within, inner)))
        }
        _ => (Vec::new(), None),
    }
}

fn member(object: &Object, name: &str) -> Option<usize> {
    object.fields.iter().position(|f| f.wire_name == name)
}

/// The member `name` when it is an integer scalar.
fn integer(object: &Object, name: &str) -> Option<usize> {
    member(object, name).filter(|&i| {
        matches!(
            object.fields[i].ty,
            Type::Scalar(Scalar::Int64 | Scalar::Uint64)
        )
    })
}

fn type_name(ty: &Type) -> String {
    match ty {
        Type::Scalar(s) => s.spec_name(),
        Type::Object(_) => "an object".to_owned(),
        Type::List(_) => "a list".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, ObjectId};

    /// An object from `"Name:type Name:type?"`: types `int64`, `uint64`,
    /// `string`, `[x]` (a list), `{}` (an object); `!` marks a required member.
    fn object(members: &str) -> Object {
        let fields = members
            .split_whitespace()
            .map(|m| {
                let (name, ty) = m.split_once(':').expect("Name:type");
                let required = ty.ends_with('!');
                let ty = ty.trim_end_matches('!');
                let scalar = |t: &str| match t {
                    "int64" => Type::Scalar(Scalar::Int64),
                    "uint64" => Type::Scalar(Scalar::Uint64),
                    "string" => Type::Scalar(Scalar::String),
                    "bool" => Type::Scalar(Scalar::Bool),
                    "{}" => Type::Object(ObjectId(0)),
                    other => panic!("unknown type {other} in the table"),
                };
                let ty = match ty.strip_prefix('[') {
                    Some(inner) => Type::List(Box::new(scalar(inner.trim_end_matches(']')))),
                    None => scalar(ty),
                };
                Field {
                    wire_name: name.into(),
                    rust_name: naming::snake(name),
                    doc: String::new(),
                    ty,
                    presence: if required {
                        Presence::Required
                    } else {
                        Presence::Optional
                    },
                    required,
                    deprecated: false,
                    boxed: false,
                    sensitive: false,
                }
            })
            .collect();
        Object {
            wire_name: "T".into(),
            rust_name: "T".into(),
            doc: String::new(),
            sent: true,
            received: true,
            fields,
        }
    }

    /// Real actions of the catalog (tccli 3.1.189.1), their members as
    /// published (irrelevant members left out), and what the rules decide.
    #[test]
    fn real_actions_table() {
        use PagePattern::*;
        let paged = |p, lists: &[usize]| {
            Recognised::Paged(p, lists.iter().map(|&i| Place::top(i)).collect())
        };
        let unrecognised = |reason: &str| Recognised::Unrecognised(reason.into());
        let table = [
            (
                "cvm 2017-03-12 DescribeInstances",
                "InstanceIds:[string] Filters:[{}] Offset:int64 Limit:int64",
                "TotalCount:int64 InstanceSet:[{}] RequestId:string",
                paged(OffsetLimit { offset: 2, limit: 3, total: Some(Place::top(0)) }, &[1]),
            ),
            (
                "iai 2020-03-03 GetPersonList",
                "GroupId:string! Offset:uint64 Limit:uint64",
                "PersonInfos:[{}] PersonNum:uint64 FaceNum:uint64 FaceModelVersion:string RequestId:string",
                paged(OffsetLimit { offset: 1, limit: 2, total: None }, &[0]),
            ),
            (
                "dnspod 2021-03-23 DescribeDomainList (the total sits in an object)",
                "Type:string Offset:int64 Limit:int64 GroupId:int64 Keyword:string Tags:[{}]",
                "DomainCountInfo:{} DomainList:[{}] RequestId:string",
                paged(OffsetLimit { offset: 1, limit: 2, total: None }, &[1]),
            ),
            (
                "lcic 2022-08-17 GetRooms (page number with Limit as the size)",
                "SdkAppId:uint64! StartTime:uint64 EndTime:uint64 Page:uint64 Limit:uint64 Status:[uint64]",
                "Total:uint64 Rooms:[{}] RequestId:string",
                paged(PageNumber { page: 3, first: FirstPage::Unknown, size: 4, total: Some(Place::top(0)) }, &[1]),
            ),
            (
                "lcic 2022-08-17 DescribeRoomStatistics (required page members)",
                "RoomId:uint64! Page:uint64! Limit:uint64!",
                "PeakMemberNumber:uint64 MemberNumber:uint64 Total:uint64 MemberRecords:[{}] RequestId:string",
                paged(PageNumber { page: 1, first: FirstPage::Unknown, size: 2, total: Some(Place::top(2)) }, &[3]),
            ),
            (
                "teo 2022-01-06 DescribeBotManagedRules (PerPage)",
                "ZoneId:string Entity:string Page:int64 PerPage:int64 RuleType:string",
                "Count:int64 Rules:[{}] Total:int64 RequestId:string",
                paged(PageNumber { page: 2, first: FirstPage::Unknown, size: 3, total: Some(Place::top(2)) }, &[1]),
            ),
            (
                "vpc 2017-03-12 DescribeVpcEndPoint (offset preferred over the token)",
                "Filters:[{}] Offset:uint64 Limit:uint64 EndPointId:[string] MaxResults:uint64 NextToken:string",
                "EndPointSet:[{}] TotalCount:uint64 NextToken:string RequestId:string",
                paged(OffsetLimit { offset: 1, limit: 2, total: Some(Place::top(1)) }, &[0]),
            ),
            (
                "alb 2025-10-30 DescribeAsyncJobs",
                "MaxResults:uint64 NextToken:string RequestIds:[string]",
                "Jobs:[{}] MaxResults:uint64 NextToken:string TotalCount:uint64 RequestId:string",
                paged(Token { request: 1, response: 2 }, &[0]),
            ),
            (
                "cfw 2019-09-04 DescribeNDRAssetIdentificationCursorList (Cursor answered by NextCursor)",
                "Limit:uint64! Cursor:string Filters:[{}]",
                "Data:[{}] NextCursor:string HasMore:bool RequestId:string",
                paged(Token { request: 1, response: 1 }, &[0]),
            ),
            (
                "faceid 2018-03-01 GetWeChatBillDetails (an integer, required cursor)",
                "Date:string! Cursor:uint64! RuleId:string",
                "HasNextPage:bool NextCursor:uint64 WeChatBillDetails:[{}] RequestId:string",
                unrecognised("`Cursor` is int/uint64, not a string"),
            ),
            (
                "live 2018-08-01 DescribeLiveAvatarCloneFigureList (string Offset and Limit)",
                "TaskId:string Status:string Limit:string Offset:string",
                "CloneFigureList:[{}] TotalCount:uint64 RequestId:string",
                unrecognised("`Offset` is string/string and `Limit` string/string: not both integers"),
            ),
            (
                "asw 2020-07-22 DescribeExecutions (PageIndex)",
                "StateMachineResourceName:string! PageSize:int64! PageIndex:int64!",
                "RequestId:string",
                unrecognised("`PageIndex`: the spec does not say whether the first page is 0 or 1"),
            ),
            (
                "adp 2026-05-20 DescribeAuditLogList (SearchAfter as a list)",
                "SpaceId:string Limit:uint64 SearchAfter:[string] FilterList:[{}]",
                "AuditLogList:[{}] SearchAfter:[string] RequestId:string",
                unrecognised("`SearchAfter` is a list, not a string"),
            ),
            (
                "databuddy 2026-07-15 ListCatalogNames (the next token sits in an object)",
                "WorkspaceId:string! MaxResults:string PageToken:string Types:[string]",
                "Data:{} RequestId:string",
                unrecognised("`PageToken` in the request, no string `PageToken` or `NextPageToken` in the response"),
            ),
            (
                "lcic 2022-08-17 BatchCreateRoom",
                "SdkAppId:uint64! RoomInfos:[{}]",
                "RoomIds:[uint64] RequestId:string",
                Recognised::NotPaged,
            ),
        ];
        let objects = [object("")];
        for (case, request, response, want) in table {
            assert_eq!(
                recognise(&object(request), &object(response), &objects, &|_| {
                    FirstPage::Unknown
                }),
                want,
                "{case}"
            );
        }
    }

    /// Real actions whose lists sit in the object of their one object
    /// member: request, response, that object, what the rules decide.
    #[test]
    fn lists_one_object_down() {
        use PagePattern::*;
        let within = |field| Place {
            within: Some(0),
            field,
        };
        let table = [
            (
                "ckafka 2019-08-19 DescribeTopic (Result: TopicResult {TopicList, TotalCount})",
                "InstanceId:string! SearchWord:string Offset:int64 Limit:int64",
                "Result:{} RequestId:string",
                "TopicList:[{}] TotalCount:int64",
                Recognised::Paged(OffsetLimit { offset: 2, limit: 3, total: Some(within(1)) }, vec![within(0)]),
            ),
            (
                "teo 2022-01-06 DescribeDDosAttackEvent (Data: DDosAttackEventData {List, PageNo, PageSize, Pages, TotalSize})",
                "StartTime:string! EndTime:string! PageSize:int64! PageNo:int64! PolicyIds:[int64]",
                "Data:{}! Status:int64! Msg:string! RequestId:string",
                "List:[{}]! PageNo:int64! PageSize:int64! Pages:int64! TotalSize:int64!",
                Recognised::Paged(PageNumber { page: 3, first: FirstPage::Unknown, size: 2, total: None }, vec![within(0)]),
            ),
        ];
        for (case, request, response, inner, want) in table {
            let objects = [object(inner)];
            assert_eq!(
                recognise(&object(request), &object(response), &objects, &|_| {
                    FirstPage::Unknown
                }),
                want,
                "{case}"
            );
        }
    }

    /// The first page the spec gives is the pattern's; a `PageIndex` is a
    /// page number only when it is known.
    #[test]
    fn page_indexes_need_a_known_first_page() {
        use super::super::first_page::Source;
        let request = object("PageSize:int64! PageIndex:int64!");
        let response = object("Total:int64 Items:[{}]");
        let zero = FirstPage::Zero(Source::Docs);
        let first = |known: FirstPage| {
            move |field: usize| {
                assert_eq!(field, 1, "asked about the page member");
                known
            }
        };
        let objects = [object("")];
        let paged = PagePattern::PageNumber {
            page: 1,
            first: zero,
            size: 0,
            total: Some(Place::top(0)),
        };
        assert_eq!(
            recognise(&request, &response, &objects, &first(zero)),
            Recognised::Paged(paged, vec![Place::top(1)])
        );
        assert!(matches!(
            recognise(&request, &response, &objects, &first(FirstPage::Unknown)),
            Recognised::Unrecognised(_)
        ));
        let numbered = object("PageSize:int64 PageNumber:int64");
        let one = FirstPage::One(Source::Examples);
        let Recognised::Paged(PagePattern::PageNumber { first: got, .. }, _) =
            recognise(&numbered, &response, &objects, &first(one))
        else {
            panic!("PageNumber is paged");
        };
        assert_eq!(got, one);
    }

    #[test]
    fn single_list_gives_items() {
        let one = Pagination {
            pattern: PagePattern::Token {
                request: 0,
                response: 0,
            },
            lists: vec![Place::top(2)],
            method: "m".into(),
        };
        assert_eq!(one.items(), Some(Place::top(2)));
        let two = Pagination {
            lists: vec![Place::top(1), Place::top(2)],
            ..one.clone()
        };
        assert_eq!(two.items(), None);
        let none = Pagination {
            lists: vec![],
            ..one
        };
        assert_eq!(none.items(), None);
    }
}
