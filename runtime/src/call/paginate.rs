//! Paginators: every page of a paged action as a [`Stream`], and every item
//! of those pages.
//!
//! The generated crates give each paged action a `…_paginator` method that
//! builds a [`Paginator`] from the request the caller built (its filters
//! and other members are kept on every page) and a small description of the
//! action's [`Pattern`]: which members to advance and which to read. All the
//! logic lives here, compiled once per use; each page is an ordinary call of
//! the generated method (signing, retries, rate limit, tracing).
//!
//! With `tencentcloud-lcic` (the loopback tests in `tests/paginators.rs`
//! run the same):
//!
//! ```ignore
//! # async fn run(lcic: tencentcloud_lcic::Client) -> Result<(), tencentcloud_lcic::Error> {
//! use tencentcloud_runtime::paginate::TryStreamExt;
//!
//! let request = tencentcloud_lcic::GetRoomsRequest::new(
//!     tencentcloud_lcic::required::GetRoomsRequest { sdk_app_id: 3_520_371 },
//! );
//! let mut rooms = lcic.get_rooms_paginator(request).items();
//! while let Some(room) = rooms.try_next().await? {
//!     println!("{:?}", room.name);
//! }
//! # Ok(()) }
//! ```
//!
//! # When a listing ends
//!
//! - **Offset and limit**: `Offset` advances by the items actually received
//!   (a server that caps `Limit` skips nothing). The listing ends at an
//!   empty page; with a total in the answer, when the offset reaches the
//!   total of the *latest* page (a total that changes while listing is
//!   followed); without one, at a page shorter than an earlier one or than
//!   the `Limit` asked for, once a full page showed that `Limit` is honoured.
//!   (A first page shorter than `Limit` costs one more call, which comes back
//!   empty: it may be the server's cap.)
//! - **Page number**: the page advances by one; the end is decided as
//!   above, the position being the pages before the first one asked for,
//!   at the largest page seen, plus the items received. Whether pages count
//!   from 0 or from 1 is the action's [`FirstPage`], learned from the spec:
//!   a request without a page number starts at that first page, sent
//!   explicitly. When the spec does not say, such a request ends the
//!   stream with [`Error::FirstPageUnknown`] before anything is sent (a
//!   guess would skip a page or list one twice), and a request with a page
//!   number starts there, counting no pages before it: at worst one more
//!   call, which comes back empty, rather than a listing cut short.
//! - **Token**: the answer's token is sent back; the listing ends when it is
//!   absent, empty, or one already sent.
//! - Whatever the pattern, after [`max_pages`](Paginator::max_pages) pages
//!   ([`DEFAULT_MAX_PAGES`] unless set) with more announced, the stream ends
//!   with [`Error::TooManyPages`]: a server that repeats itself cannot loop
//!   forever. A failed page ends the stream with its error.

use super::builder::CallBuilder;
use crate::shared::{BoxFuture, Error, ServiceErrorCode};
use futures_util::stream;
use std::collections::BTreeSet;
use tencentcloud_json::{FromJson, ToJson};

pub use futures_core::Stream;
pub use futures_util::stream::BoxStream;
/// The `futures` extension traits, for `next`, `try_next`, `try_collect`…
pub use futures_util::{StreamExt, TryStreamExt};

/// How many pages a paginator fetches, at most, unless told otherwise.
pub const DEFAULT_MAX_PAGES: usize = 10_000;

/// An integer member a paginator reads or advances, whatever its Rust type
/// (`u64`, `i64`, optional or not). Negative values read as 0.
pub trait PageField: Send {
    /// The value, if set.
    fn get(&self) -> Option<u64>;
    /// Sets the value.
    fn set(&mut self, value: u64);
}

impl PageField for u64 {
    fn get(&self) -> Option<u64> {
        Some(*self)
    }
    fn set(&mut self, value: u64) {
        *self = value;
    }
}

impl PageField for i64 {
    fn get(&self) -> Option<u64> {
        Some(u64::try_from(*self).unwrap_or(0))
    }
    fn set(&mut self, value: u64) {
        *self = i64::try_from(value).unwrap_or(i64::MAX);
    }
}

impl<T: PageField + Default> PageField for Option<T> {
    fn get(&self) -> Option<u64> {
        self.as_ref().and_then(PageField::get)
    }
    fn set(&mut self, value: u64) {
        self.get_or_insert_with(T::default).set(value);
    }
}

/// The list member a page carries, optional or not.
pub trait PageList {
    /// The item type.
    type Item;
    /// How many items the page carries.
    fn page_len(&self) -> usize;
    /// The items.
    fn into_items(self) -> Vec<Self::Item>;
}

impl<T> PageList for Vec<T> {
    type Item = T;
    fn page_len(&self) -> usize {
        self.len()
    }
    fn into_items(self) -> Vec<T> {
        self
    }
}

impl<T> PageList for Option<Vec<T>> {
    type Item = T;
    fn page_len(&self) -> usize {
        self.as_ref().map_or(0, Vec::len)
    }
    fn into_items(self) -> Vec<T> {
        self.unwrap_or_default()
    }
}

/// An integer member of the request.
pub type RequestField<Req> = fn(&mut Req) -> &mut dyn PageField;
/// A count the answer carries, if it does.
pub type ResponseCount<Resp> = fn(&Resp) -> Option<u64>;

/// Where an action's page numbers start, as the generator learned it from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstPage {
    /// The first page is page 0.
    Zero,
    /// The first page is page 1.
    One,
    /// The spec does not say: the caller must set the page number.
    Unknown {
        /// The Rust field name of the page-number member (`page_number`),
        /// for [`Error::FirstPageUnknown`].
        member: &'static str,
    },
}

impl FirstPage {
    /// How many pages come before page `number`: none is assumed when the
    /// base is unknown, since counting too few costs one empty call at the
    /// end, while counting too many would end the listing early.
    fn pages_before(self, number: u64) -> u64 {
        match self {
            FirstPage::Zero => number,
            FirstPage::One => number.saturating_sub(1),
            FirstPage::Unknown { .. } => 0,
        }
    }
}

/// How an action is paged: the members each pattern advances and reads, as
/// the generated code hands them over.
pub enum Pattern<Req, Resp> {
    /// `Offset` and `Limit`.
    OffsetLimit {
        /// `Offset`, advanced by the items received.
        offset: RequestField<Req>,
        /// `Limit`, read.
        limit: RequestField<Req>,
        /// The total, when the answer has one.
        total: Option<ResponseCount<Resp>>,
        /// How many items a page carries.
        len: fn(&Resp) -> usize,
    },
    /// A page number, counted from the action's [`FirstPage`], and a page
    /// size.
    PageNumber {
        /// The page number, advanced by one.
        page: RequestField<Req>,
        /// Where page numbers start: the page a request without one asks for.
        first: FirstPage,
        /// The page size, read.
        size: RequestField<Req>,
        /// The total, when the answer has one.
        total: Option<ResponseCount<Resp>>,
        /// How many items a page carries.
        len: fn(&Resp) -> usize,
    },
    /// A continuation token.
    Token {
        /// The request's token.
        token: fn(&mut Req) -> &mut Option<String>,
        /// The answer's next token.
        next: fn(&Resp) -> Option<&str>,
    },
}

/// How one page is fetched: the generated per-action method.
pub type Fetch<Req, Resp, E> =
    Box<dyn FnMut(Req) -> BoxFuture<'static, Result<Resp, Error<E>>> + Send>;

/// The [`Fetch`] of a generated paginator: each page is one call of `call`
/// (the action's client method, `Client::describe_…`) on a clone of
/// `client`. Written once here rather than as an `async` block in every
/// generated paginator, each of which cost its crate as much to compile as
/// a dozen models.
pub fn fetch<C, Req, Resp, E>(
    client: &C,
    call: for<'a> fn(&'a C, &'a Req) -> CallBuilder<'a, Req, Resp, E>,
) -> Fetch<Req, Resp, E>
where
    C: Clone + Send + Sync + 'static,
    Req: ToJson + Send + Sync + 'static,
    Resp: FromJson + Send + 'static,
    E: ServiceErrorCode,
{
    let client = client.clone();
    Box::new(move |request| {
        let client = client.clone();
        Box::pin(async move { call(&client, &request).await })
    })
}

/// A paginator without an item stream (the answer has no single list).
#[derive(Debug, Clone, Copy)]
pub struct NoItems;

/// A paginator with an item stream: how a page is turned into its items.
#[derive(Debug, Clone, Copy)]
pub struct Items<Resp, T>(fn(Resp) -> Vec<T>);

/// The pages of one listing, from the request the caller built. Nothing is
/// sent until the stream from [`pages`](Self::pages) or
/// [`items`](Paginator::items) is polled.
pub struct Paginator<Req, Resp, E: ServiceErrorCode, L = NoItems> {
    listing: Listing<Req, Resp, E>,
    list: L,
}

impl<Req, Resp, E: ServiceErrorCode, L> std::fmt::Debug for Paginator<Req, Resp, E, L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("action", &self.listing.action)
            .field("max_pages", &self.listing.max_pages)
            .finish_non_exhaustive()
    }
}

impl<Req, Resp, E> Paginator<Req, Resp, E, NoItems>
where
    Req: Clone + Send + 'static,
    Resp: Send + 'static,
    E: ServiceErrorCode,
{
    /// A paginator of `action` from `request`, fetching each page with `fetch`.
    pub fn new(
        action: &'static str,
        request: Req,
        pattern: Pattern<Req, Resp>,
        fetch: Fetch<Req, Resp, E>,
    ) -> Self {
        Paginator {
            listing: Listing {
                action,
                request,
                pattern,
                fetch,
                max_pages: DEFAULT_MAX_PAGES,
                progress: Progress::default(),
            },
            list: NoItems,
        }
    }

    /// The same paginator with an item stream: `items` takes a page's list.
    pub fn with_items<T>(
        self,
        items: fn(Resp) -> Vec<T>,
    ) -> Paginator<Req, Resp, E, Items<Resp, T>> {
        Paginator {
            listing: self.listing,
            list: Items(items),
        }
    }
}

impl<Req, Resp, E, L> Paginator<Req, Resp, E, L>
where
    Req: Clone + Send + 'static,
    Resp: Send + 'static,
    E: ServiceErrorCode,
{
    /// Fetches at most `pages` pages (at least one); when more are announced
    /// after them, the stream ends with [`Error::TooManyPages`].
    #[must_use]
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.listing.max_pages = pages.max(1);
        self
    }

    /// Every page, in order; a failed page ends the stream with its error.
    pub fn pages(self) -> BoxStream<'static, Result<Resp, Error<E>>> {
        stream::try_unfold(Some(self.listing), |state| async move {
            let Some(mut listing) = state else {
                return Ok(None);
            };
            if listing.progress.pages == 0 {
                listing.start()?;
            }
            if listing.progress.pages >= listing.max_pages {
                return Err(Error::TooManyPages {
                    action: listing.action,
                    pages: listing.progress.pages,
                });
            }
            let page = (listing.fetch)(listing.request.clone()).await?;
            let more = listing
                .progress
                .advance(&listing.pattern, &mut listing.request, &page);
            Ok(Some((page, more.then_some(listing))))
        })
        .boxed()
    }
}

impl<Req, Resp, E, T> Paginator<Req, Resp, E, Items<Resp, T>>
where
    Req: Clone + Send + 'static,
    Resp: Send + 'static,
    E: ServiceErrorCode,
    T: Send + 'static,
{
    /// Every item of every page, in order; a failed page ends the stream
    /// with its error.
    pub fn items(self) -> BoxStream<'static, Result<T, Error<E>>> {
        let Items(items) = self.list;
        self.pages()
            .map_ok(move |page| stream::iter(items(page).into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}

/// A paginator's listing: built with it, then the state the stream
/// carries from page to page.
struct Listing<Req, Resp, E: ServiceErrorCode> {
    action: &'static str,
    request: Req,
    pattern: Pattern<Req, Resp>,
    fetch: Fetch<Req, Resp, E>,
    max_pages: usize,
    progress: Progress,
}

impl<Req, Resp, E: ServiceErrorCode> Listing<Req, Resp, E> {
    /// Readies the request for the first page: a page number left unset
    /// becomes the action's first page, sent explicitly, so that the
    /// position the stop rules count from is the page the server answers.
    fn start(&mut self) -> Result<(), Error<E>> {
        let Pattern::PageNumber { page, first, .. } = &self.pattern else {
            return Ok(());
        };
        let number = page(&mut self.request);
        if number.get().is_some() {
            return Ok(());
        }
        match *first {
            FirstPage::Zero => number.set(0),
            FirstPage::One => number.set(1),
            FirstPage::Unknown { member } => {
                return Err(Error::FirstPageUnknown {
                    action: self.action,
                    member,
                })
            }
        }
        Ok(())
    }
}

/// What the pages so far have shown: the stop rules' memory.
#[derive(Debug, Default)]
struct Progress {
    /// Pages received.
    pages: usize,
    /// Items received.
    items: u64,
    /// The largest page received.
    largest: u64,
    /// The first page number asked for, once known.
    first_page: Option<u64>,
    /// Tokens sent back.
    tokens: BTreeSet<String>,
}

impl Progress {
    /// Notes `page`, the answer to `request`, and turns `request` into the
    /// next page's; whether there is a next page.
    fn advance<Req, Resp>(
        &mut self,
        pattern: &Pattern<Req, Resp>,
        request: &mut Req,
        page: &Resp,
    ) -> bool {
        self.pages += 1;
        match pattern {
            // The counted patterns share their stop rules (`counted`); they
            // differ in how the request moves on, and so where this page ends.
            Pattern::OffsetLimit {
                offset,
                limit,
                total,
                len,
            } => {
                let received = len(page) as u64;
                // `Offset` moves past the items received.
                let start = offset(request).get().unwrap_or(0);
                offset(request).set(start + received);
                let asked = limit(request).get();
                self.counted(
                    received,
                    asked,
                    start + received,
                    total.and_then(|t| t(page)),
                )
            }
            Pattern::PageNumber {
                page: number,
                first,
                size,
                total,
                len,
            } => {
                let received = len(page) as u64;
                // `Listing::start` set the number before the first page was
                // sent; the default only stands in for a broken `PageField`.
                let current = number(request).get().unwrap_or_default();
                number(request).set(current + 1);
                let first_asked = *self.first_page.get_or_insert(current);
                let before = first.pages_before(first_asked) * self.largest.max(received);
                let asked = size(request).get();
                self.counted(
                    received,
                    asked,
                    before + self.items + received,
                    total.and_then(|t| t(page)),
                )
            }
            Pattern::Token { token, next } => {
                let Some(next) = next(page).filter(|t| !t.is_empty()) else {
                    return false;
                };
                if let Some(sent) = token(request).take() {
                    self.tokens.insert(sent);
                }
                if !self.tokens.insert(next.to_owned()) {
                    return false;
                }
                *token(request) = Some(next.to_owned());
                true
            }
        }
    }

    /// The stop rules of the counted patterns: `received` items on this
    /// page, `asked` the page size requested, `position` the items listed
    /// up to the end of this page, `total` the answer's total.
    fn counted(
        &mut self,
        received: u64,
        asked: Option<u64>,
        position: u64,
        total: Option<u64>,
    ) -> bool {
        let largest_before = self.largest;
        self.items += received;
        self.largest = self.largest.max(received);
        if received == 0 {
            return false;
        }
        if let Some(total) = total {
            return position < total;
        }
        // Short: fewer items than a page already received, or than asked
        // once a page of that size came (so the server honours the size).
        let short_of_earlier = received < largest_before;
        let short_of_asked = asked.is_some_and(|asked| received < asked && largest_before >= asked);
        !(short_of_earlier || short_of_asked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Debug, Clone, Default)]
    struct Req {
        offset: Option<u64>,
        limit: Option<i64>,
        token: Option<String>,
    }

    #[derive(Debug, Clone, Default)]
    struct Resp {
        total: Option<u64>,
        items: Option<Vec<u32>>,
        next: Option<String>,
    }

    fn offset_limit(with_total: bool) -> Pattern<Req, Resp> {
        Pattern::OffsetLimit {
            offset: |r| &mut r.offset,
            limit: |r| &mut r.limit,
            total: with_total.then_some((|r: &Resp| r.total) as ResponseCount<Resp>),
            len: |r| r.items.page_len(),
        }
    }

    /// `Offset` and `Limit` read as a page number and a page size, with a
    /// total, pages counted from `first`.
    fn page_number(first: FirstPage) -> Pattern<Req, Resp> {
        Pattern::PageNumber {
            page: |r| &mut r.offset,
            first,
            size: |r| &mut r.limit,
            total: Some(|r| r.total),
            len: |r| r.items.page_len(),
        }
    }

    type Listed = Paginator<Req, Resp, String, Items<Resp, u32>>;

    /// Answers each request with `answer(request)`, recording them.
    fn paginator(
        request: Req,
        pattern: Pattern<Req, Resp>,
        answer: impl Fn(&Req) -> Resp + Send + Sync + 'static,
    ) -> (Listed, Arc<Mutex<Vec<Req>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let answer = Arc::new(answer);
        let fetch: Fetch<Req, Resp, String> = Box::new(move |request: Req| {
            log.lock().unwrap().push(request.clone());
            let page = answer(&request);
            Box::pin(async move { Ok(page) })
        });
        let p = Paginator::new("ListThings", request, pattern, fetch)
            .with_items(|r: Resp| r.items.into_items());
        (p, seen)
    }

    fn page(items: std::ops::Range<u32>, total: Option<u64>) -> Resp {
        Resp {
            total,
            items: Some(items.collect()),
            next: None,
        }
    }

    async fn all(p: Listed) -> Result<Vec<u32>, Error<String>> {
        p.items().try_collect().await
    }

    /// Lists every item of a server answering `answer`: the items (or the
    /// error), and the requests sent.
    async fn list(
        request: Req,
        pattern: Pattern<Req, Resp>,
        answer: impl Fn(&Req) -> Resp + Send + Sync + 'static,
    ) -> (Result<Vec<u32>, Error<String>>, Vec<Req>) {
        let (p, seen) = paginator(request, pattern, answer);
        let items = all(p).await;
        let sent = seen.lock().unwrap().clone();
        (items, sent)
    }

    /// A request for pages of `limit` items.
    fn limit(limit: i64) -> Req {
        Req {
            limit: Some(limit),
            ..Req::default()
        }
    }

    /// A server holding `n` items, answering `Offset`/`Limit` (capped at `cap`).
    fn listing(n: u32, cap: u32, total: bool) -> impl Fn(&Req) -> Resp + Send + Sync + 'static {
        move |r| {
            let from = r.offset.unwrap_or(0) as u32;
            let size = (r.limit.unwrap_or(10) as u32).min(cap);
            let to = (from + size).min(n).max(from);
            page(from..to, total.then_some(u64::from(n)))
        }
    }

    #[tokio::test]
    async fn offset_with_total_stops_at_the_total_and_survives_a_capped_limit() {
        let (items, sent) = list(limit(100), offset_limit(true), listing(25, 10, true)).await;
        assert_eq!(items.unwrap(), (0..25).collect::<Vec<_>>());
        let offsets: Vec<_> = sent.iter().map(|r| r.offset).collect();
        assert_eq!(offsets, [None, Some(10), Some(20)]);
    }

    #[tokio::test]
    async fn offset_without_total_stops_at_a_short_page() {
        let (items, sent) = list(limit(10), offset_limit(false), listing(25, 10, false)).await;
        assert_eq!(items.unwrap().len(), 25);
        assert_eq!(sent.len(), 3, "the short third page ends it");
    }

    #[tokio::test]
    async fn offset_without_total_follows_a_capped_limit_to_the_empty_page() {
        let (items, sent) = list(limit(100), offset_limit(false), listing(30, 10, false)).await;
        assert_eq!(items.unwrap(), (0..30).collect::<Vec<_>>());
        assert_eq!(sent.len(), 4);
    }

    #[tokio::test]
    async fn an_empty_first_page_ends_the_listing() {
        let (items, sent) = list(Req::default(), offset_limit(true), listing(0, 10, true)).await;
        assert!(items.unwrap().is_empty());
        assert_eq!(sent.len(), 1);
    }

    #[tokio::test]
    async fn a_shrinking_total_is_followed() {
        // 40 items announced, then 15: the listing ends at the new total.
        let (items, sent) = list(limit(10), offset_limit(true), |r| {
            let from = r.offset.unwrap_or(0) as u32;
            let total = if from == 0 { 40 } else { 15 };
            page(from..(from + 10).min(total), Some(u64::from(total)))
        })
        .await;
        assert_eq!(items.unwrap(), (0..15).collect::<Vec<_>>());
        assert_eq!(sent.len(), 2);
    }

    #[tokio::test]
    async fn page_numbers_start_from_the_request() {
        let request = Req {
            offset: Some(2),
            ..limit(10)
        };
        let (items, sent) = list(request, page_number(FirstPage::One), |r| {
            let from = (r.offset.unwrap() as u32 - 1) * 10;
            page(from..(from + 10).min(35), Some(35))
        })
        .await;
        assert_eq!(items.unwrap(), (10..35).collect::<Vec<_>>());
        let pages: Vec<_> = sent.iter().map(|r| r.offset).collect();
        assert_eq!(pages, [Some(2), Some(3), Some(4)]);
    }

    /// A server holding `n` items in pages numbered from `base`, with a
    /// total; the page number must be sent.
    fn numbered(n: u32, base: u64) -> impl Fn(&Req) -> Resp + Send + Sync + 'static {
        move |r| {
            let number = r.offset.expect("the page number is always sent");
            let index = number
                .checked_sub(base)
                .expect("no page before the first is asked for");
            let size = r.limit.unwrap_or(10) as u32;
            let from = (index as u32 * size).min(n);
            page(from..(from + size).min(n), Some(u64::from(n)))
        }
    }

    /// The page numbers `sent`.
    fn numbers(sent: &[Req]) -> Vec<Option<u64>> {
        sent.iter().map(|r| r.offset).collect()
    }

    #[tokio::test]
    async fn an_unset_page_starts_at_the_first_page_of_the_spec() {
        for (first, base) in [(FirstPage::Zero, 0), (FirstPage::One, 1)] {
            let (items, sent) = list(limit(20), page_number(first), numbered(45, base)).await;
            assert_eq!(items.unwrap(), (0..45).collect::<Vec<_>>(), "{first:?}");
            let pages: Vec<_> = (base..base + 3).map(Some).collect();
            assert_eq!(numbers(&sent), pages, "{first:?}: page {base} is sent");
        }
    }

    #[tokio::test]
    async fn a_page_the_caller_set_is_where_the_listing_starts() {
        for (first, base) in [(FirstPage::Zero, 0), (FirstPage::One, 1)] {
            let request = Req {
                offset: Some(base + 1),
                ..limit(20)
            };
            let (items, sent) = list(request, page_number(first), numbered(45, base)).await;
            assert_eq!(items.unwrap(), (20..45).collect::<Vec<_>>(), "{first:?}");
            // The total is reached on the last page: no empty call after it.
            let pages = vec![Some(base + 1), Some(base + 2)];
            assert_eq!(numbers(&sent), pages, "{first:?}");
        }
    }

    #[tokio::test]
    async fn an_unknown_first_page_needs_the_caller_to_set_one() {
        let unknown = || {
            page_number(FirstPage::Unknown {
                member: "page_number",
            })
        };
        let (p, seen) = paginator(limit(20), unknown(), numbered(45, 1));
        let mut pages = p.pages();
        let err = pages.next().await.expect("an error").unwrap_err();
        assert!(
            matches!(
                err,
                Error::FirstPageUnknown {
                    action: "ListThings",
                    member: "page_number"
                }
            ),
            "{err:?}"
        );
        assert!(pages.next().await.is_none(), "the stream ends");
        assert!(seen.lock().unwrap().is_empty(), "nothing is sent");

        // With a page set, pages before it are not counted: the listing
        // goes on to an empty page rather than stopping short.
        let request = Req {
            offset: Some(2),
            ..limit(20)
        };
        let (items, sent) = list(request, unknown(), numbered(45, 1)).await;
        assert_eq!(items.unwrap(), (20..45).collect::<Vec<_>>());
        assert_eq!(numbers(&sent), [Some(2), Some(3), Some(4)]);
        let request = Req {
            offset: Some(0),
            ..limit(20)
        };
        let (items, sent) = list(request, unknown(), numbered(45, 0)).await;
        assert_eq!(items.unwrap(), (0..45).collect::<Vec<_>>());
        assert_eq!(numbers(&sent), [Some(0), Some(1), Some(2)]);
    }

    #[tokio::test]
    async fn tokens_end_when_absent_empty_or_repeated() {
        for (last, calls) in [(None, 3), (Some(""), 3), (Some("a"), 3)] {
            let pattern = Pattern::Token {
                token: |r: &mut Req| &mut r.token,
                next: |r: &Resp| r.next.as_deref(),
            };
            let (items, sent) = list(Req::default(), pattern, move |r| Resp {
                items: Some(vec![1]),
                next: match r.token.as_deref() {
                    None => Some("a".into()),
                    Some("a") => Some("b".into()),
                    _ => last.map(str::to_owned),
                },
                total: None,
            })
            .await;
            assert_eq!(items.unwrap().len(), calls, "last token {last:?}");
            let tokens: Vec<_> = sent.iter().map(|r| r.token.clone()).collect();
            assert_eq!(tokens, [None, Some("a".into()), Some("b".into())]);
        }
    }

    #[tokio::test]
    async fn the_page_cap_stops_a_server_that_repeats_forever() {
        let (p, seen) = paginator(limit(2), offset_limit(false), |_| page(0..2, None));
        let err = all(p.max_pages(5)).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::TooManyPages {
                    action: "ListThings",
                    pages: 5
                }
            ),
            "{err:?}"
        );
        assert_eq!(seen.lock().unwrap().len(), 5);
    }

    #[tokio::test]
    async fn a_failed_page_ends_the_stream_with_its_error() {
        let fetch: Fetch<Req, Resp, String> = Box::new(|_| {
            Box::pin(async {
                Err(Error::Http {
                    action: "ListThings",
                    status: 502,
                    excerpt: String::new(),
                    location: None,
                    call: None,
                })
            })
        });
        let mut pages =
            Paginator::new("ListThings", Req::default(), offset_limit(true), fetch).pages();
        assert!(matches!(
            pages.next().await,
            Some(Err(Error::Http { status: 502, .. }))
        ));
        assert!(pages.next().await.is_none());
    }

    #[test]
    fn page_fields_convert_both_signs() {
        let mut negative: Option<i64> = Some(-3);
        assert_eq!(negative.get(), Some(0));
        negative.set(u64::MAX);
        assert_eq!(negative, Some(i64::MAX));
        let mut unset: Option<u64> = None;
        unset.set(7);
        assert_eq!(unset, Some(7));
    }
}
