//! Which actions can answer as a stream of Server-Sent Events, and so get a
//! `…_stream` method besides their ordinary one.
//!
//! With `"Stream": true`, Hunyuan `ChatCompletions` answers
//! `text/event-stream`, one JSON object of the response type per event. The
//! spec says so only in part, so an action streams when, first fit wins:
//!
//! 1. its `overlay.json` entry says `"stream": true` or `false`;
//! 2. it is in [`KNOWN`], the actions the official Python SDK calls through
//!    its stream-aware path (data, with its source below);
//! 3. its request has a boolean [`STREAM_MEMBER`];
//! 4. its docs name the protocol ([`DOC_WORDS`]: `SSE`, `event-stream`).
//!    "流式" alone is not taken: aai `SimultaneousInterpreting` and soe
//!    `InitOralProcess` use it for audio sent in chunks over another protocol.
//!
//! The stream method sets the request's boolean `Stream` member, when it has
//! one, to `true` for the caller.
//!
//! The other call that is not JSON both ways: a few actions take raw bytes
//! (`application/octet-stream`) with their parameters in headers, as cls
//! `UploadLog` does ([`OCTET_STREAM`], or `overlay.json`'s
//! `octet_stream_header_prefix`); they get a `…_bytes` method.

use crate::ir::{Object, Scalar, Type};

/// The request member that asks for a stream.
pub const STREAM_MEMBER: &str = "Stream";

/// Words of an action's docs that say it answers with Server-Sent Events,
/// matched as whole words.
pub const DOC_WORDS: &[&str] = &["SSE", "event-stream"];

/// Where [`KNOWN`] comes from.
pub const KNOWN_SOURCE: &str =
    "tencentcloud-sdk-python 3.1.195 (PyPI, Apache-2.0): the actions its \
     service clients call through `_call_and_deserialize`, which yields the events of a \
     `text/event-stream` answer";

/// Actions the official SDKs call as streams, by service short name.
pub const KNOWN: &[(&str, &[&str])] = &[
    ("cloudmate", &["CloudMateAgent"]),
    ("cls", &["ChatCompletions"]),
    ("dataagent", &["ChatAI", "ExecuteAgentApiV1"]),
    ("es", &["ChatCompletions", "ParseDocument"]),
    (
        "hunyuan",
        &[
            "ChatCompletions",
            "ChatTranslations",
            "CreateThread",
            "FilesDeletions",
            "FilesList",
            "FilesUploads",
            "GetThread",
            "GetThreadMessage",
            "GetThreadMessageList",
            "GroupChatCompletions",
            "ImageQuestion",
            "RunThread",
        ],
    ),
    (
        "ig",
        &[
            "GetLLMDiagnosisDrug",
            "GetLLMDiagnosisDrugChat",
            "GetLLMDiagnosisHealth",
            "GetLLMReportInterpretation",
        ],
    ),
    ("lkeap", &["ChatCompletions", "ReconstructDocumentSSE"]),
    ("tdai", &["CreateChatCompletion"]),
    ("trtc", &["TextToSpeechSSE"]),
    ("waf", &["GenerateLLMSecAnswer"]),
];

/// Why an action streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamSource {
    /// `overlay.json` says so.
    Overlay,
    /// It is in [`KNOWN`].
    Known,
    /// Its request has a boolean `Stream` member.
    StreamMember,
    /// Its docs name the protocol.
    Docs,
}

impl StreamSource {
    /// In a sentence, after "because".
    pub fn describe(self) -> &'static str {
        match self {
            StreamSource::Overlay => "this project's `overlay.json` says so",
            StreamSource::Known => "the official SDKs call it as a stream",
            StreamSource::StreamMember => "its request has a boolean `Stream` member",
            StreamSource::Docs => "its docs name Server-Sent Events",
        }
    }
}

/// A streaming action's stream method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Streaming {
    /// Why it streams.
    pub source: StreamSource,
    /// The request's boolean `Stream` member (a field index), set to `true`
    /// by the stream method.
    pub member: Option<usize>,
    /// The client method that returns the stream.
    pub method: String,
}

/// Why action `name` of `service`, documented as `doc`, whose request is
/// `input`, streams, if it does; `overlay` is `overlay.json`'s word on it.
pub fn source(
    service: &str,
    name: &str,
    doc: &str,
    input: &Object,
    overlay: Option<bool>,
) -> Option<StreamSource> {
    if let Some(stream) = overlay {
        return stream.then_some(StreamSource::Overlay);
    }
    let known = KNOWN
        .iter()
        .any(|(s, actions)| *s == service && actions.contains(&name));
    if known {
        Some(StreamSource::Known)
    } else if stream_member(input).is_some() {
        Some(StreamSource::StreamMember)
    } else if DOC_WORDS.iter().any(|word| names_word(doc, word)) {
        Some(StreamSource::Docs)
    } else {
        None
    }
}

/// The request's boolean `Stream` member, if any.
pub fn stream_member(input: &Object) -> Option<usize> {
    input
        .fields
        .iter()
        .position(|f| f.wire_name == STREAM_MEMBER && f.ty == Type::Scalar(Scalar::Bool))
}

/// Whether `word` stands in `text` as a word of its own (not inside
/// `CLASSES` or `SSEKey`), whatever the script around it.
fn names_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let letter = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        !letter(before) && !letter(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, Presence};

    fn request(members: &[(&str, Type)]) -> Object {
        Object {
            wire_name: "Request".into(),
            rust_name: "Request".into(),
            doc: String::new(),
            sent: true,
            received: false,
            fields: members
                .iter()
                .map(|(name, ty)| Field {
                    wire_name: (*name).into(),
                    rust_name: name.to_lowercase(),
                    doc: String::new(),
                    ty: ty.clone(),
                    presence: Presence::Optional,
                    required: false,
                    deprecated: false,
                    boxed: false,
                    sensitive: false,
                })
                .collect(),
        }
    }

    /// Actions of the published catalog (tccli 3.1.189.1), their docs as
    /// far as they matter, and what the rules make of them.
    #[test]
    fn octet_stream_actions_are_known_or_overlaid() {
        assert_eq!(
            octet_stream_prefix("cls", "UploadLog", None).as_deref(),
            Some("X-CLS-")
        );
        assert_eq!(octet_stream_prefix("cls", "SearchLog", None), None);
        assert_eq!(
            octet_stream_prefix("x", "Put", Some("X-X-")).as_deref(),
            Some("X-X-")
        );
    }

    #[test]
    fn catalog_table() {
        use StreamSource::*;
        let flag = request(&[("Stream", Type::Scalar(Scalar::Bool))]);
        let string_flag = request(&[("Stream", Type::Scalar(Scalar::String))]);
        let plain = request(&[]);
        let cases = [
            (
                "hunyuan",
                "ChatCompletions",
                "本接口支持流式或非流式调用，当使用流式调用时为 SSE 协议。",
                &flag,
                Some(Known),
            ),
            ("hunyuan", "FilesList", "文件列表。", &plain, Some(Known)),
            ("es", "ChatCompletions", "", &flag, Some(Known)),
            ("newsvc", "Chat", "", &flag, Some(StreamMember)),
            ("newsvc", "Chat", "", &string_flag, None),
            (
                "trtc2",
                "TextToSpeechSSE",
                "SSE流式文本转语音",
                &plain,
                Some(Docs),
            ),
            (
                "x",
                "Answer",
                "answers as text/event-stream",
                &plain,
                Some(Docs),
            ),
            (
                "aai",
                "SimultaneousInterpreting",
                "该接口是实时流式识别，可同时返回语音识别文本",
                &plain,
                None,
            ),
            (
                "soe",
                "InitOralProcess",
                "语音输入模式分为流式模式和非流式模式",
                &plain,
                None,
            ),
            (
                "x",
                "DescribeClasses",
                "Lists CLASSES and SSEKeys.",
                &plain,
                None,
            ),
        ];
        for (service, name, doc, input, want) in cases {
            assert_eq!(
                source(service, name, doc, input, None),
                want,
                "{service} {name}"
            );
        }
        assert_eq!(
            source("hunyuan", "FilesList", "", &plain, Some(false)),
            None,
            "the overlay says no"
        );
        assert_eq!(source("x", "Upload", "", &plain, Some(true)), Some(Overlay));
    }
}

/// Where [`OCTET_STREAM`] comes from.
pub const OCTET_STREAM_SOURCE: &str = "tencentcloud-sdk-python 3.1.195 (PyPI, Apache-2.0): \
     `cls_client.py` sends `UploadLog` with `call_octet_stream`, its members as `X-CLS-…` headers";

/// Actions whose parameters travel in headers (each member `Name` as
/// `{prefix}Name`) and whose body is raw bytes (`application/octet-stream`):
/// service, action, header prefix.
pub const OCTET_STREAM: &[(&str, &str, &str)] = &[("cls", "UploadLog", "X-CLS-")];

/// An action sent as raw bytes: its bytes method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OctetStream {
    /// The prefix of the headers its members travel in (`X-CLS-`).
    pub header_prefix: String,
    /// The client method that sends the bytes.
    pub method: String,
}

/// The header prefix of action `name` of `service` when it is sent as raw
/// bytes ([`OCTET_STREAM`]), `overlay.json`'s word first.
pub fn octet_stream_prefix(service: &str, name: &str, overlay: Option<&str>) -> Option<String> {
    overlay.map(str::to_owned).or_else(|| {
        OCTET_STREAM
            .iter()
            .find(|(s, a, _)| *s == service && *a == name)
            .map(|(_, _, prefix)| (*prefix).to_owned())
    })
}
