//! [`Operation`]: what a request type knows about its action.

use tencentcloud_json::{FromJson, ToJson};

/// A request type of a generated crate, tied to its action and answer.
///
/// Generated for every action (`impl Operation for models::GetRoomsRequest`);
/// [`mock`](crate::mock) uses it to answer calls with typed responses and to
/// hand back the typed requests a client sent.
pub trait Operation: ToJson + FromJson + Clone + Send + Sync + 'static {
    /// The action's answer.
    type Response: ToJson + FromJson + Clone + Send + Sync + 'static;
    /// The service short name (`lcic`).
    const SERVICE: &'static str;
    /// The action's wire name (`GetRooms`).
    const ACTION: &'static str;
}
