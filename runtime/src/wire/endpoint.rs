//! Where calls go: every host format of Tencent Cloud's API, and the
//! reading of one back, written once. The [`Endpoint`] a client sends to,
//! the hosts of the credential providers' STS calls
//! ([`STS_ENDPOINT`](crate::credentials::STS_ENDPOINT)) and the service an
//! endpoint from the environment names
//! ([`ENV_ENDPOINT`](crate::ENV_ENDPOINT)) all come from here.

use crate::shared::{Service, TransportError, TransportErrorKind};
use reqwest::Url;

/// The root domain of Tencent Cloud's API hosts, as a literal (for `concat!`).
macro_rules! api_domain {
    () => {
        "tencentcloudapi.com"
    };
}

pub(crate) use api_domain;

/// `https://<service>.tencentcloudapi.com`, the mainland URL of a service,
/// as a constant: `mainland_url!("sts")`.
macro_rules! mainland_url {
    ($service:literal) => {
        concat!("https://", $service, ".", $crate::wire::api_domain!())
    };
}

pub(crate) use mainland_url;

/// The root domain of Tencent Cloud's API hosts.
const API_DOMAIN: &str = api_domain!();
/// The zone of the international site's hosts.
const INTERNATIONAL: &str = "intl";

/// Where the calls of every service go, unless one service's calls are sent
/// elsewhere ([`ClientBuilder::service_endpoint`](crate::ClientBuilder::service_endpoint)).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Endpoint {
    /// `https://<service>.tencentcloudapi.com` (mainland site).
    #[default]
    Default,
    /// The international site: the domain the spec records for the service
    /// (`Service::intl_endpoint`), else `https://<service>.intl.tencentcloudapi.com`.
    International,
    /// `https://<service>.<region>.tencentcloudapi.com`, the region being the
    /// client's (`X-TC-Region`); without a region, calls fail as invalid.
    Regional,
    /// `https://<service>.<root domain>`, for private clouds and finance
    /// zones with their own root domain.
    RootDomain(String),
    /// This base URL for every service, `http://` included (a local test
    /// server, a proxy that forwards every service).
    Url(String),
}

impl Endpoint {
    /// The URL calls of `service` are posted to, in `region` when given.
    pub fn url(&self, service: &Service, region: Option<&str>) -> Result<Url, TransportError> {
        let name = service.name;
        let host = match self {
            Endpoint::Default => api_host(name, None),
            Endpoint::International => match service.intl_endpoint {
                Some(host) => host.to_owned(),
                None => api_host(name, Some(INTERNATIONAL)),
            },
            Endpoint::Regional => match region {
                Some(region) => api_host(name, Some(check_region(region)?)),
                None => return Err(invalid("a regional endpoint needs a region; none is set")),
            },
            Endpoint::RootDomain(domain) => format!("{name}.{domain}"),
            Endpoint::Url(url) => return parse_url(url),
        };
        parse_url(&format!("https://{host}/"))
    }
}

/// The host of `service` on Tencent Cloud's API domain:
/// `<service>.tencentcloudapi.com`, or `<service>.<zone>.tencentcloudapi.com`
/// in a `zone` (`intl`, a region).
fn api_host(service: &str, zone: Option<&str>) -> String {
    match zone {
        Some(zone) => format!("{service}.{zone}.{API_DOMAIN}"),
        None => format!("{service}.{API_DOMAIN}"),
    }
}

/// `region`, when it is a region name as Tencent Cloud writes them
/// (`ap-guangzhou`, `na-siliconvalley`): lowercase ASCII letters, digits and
/// `-`, nothing else, so that it can neither change a host nor add a path.
pub(crate) fn check_region(region: &str) -> Result<&str, TransportError> {
    match region_problem(region) {
        None => Ok(region),
        Some(problem) => Err(invalid(format!("invalid region {region:?}: {problem}"))),
    }
}

/// What is wrong with `region` as a region name, if anything.
pub(crate) fn region_problem(region: &str) -> Option<&'static str> {
    if region.is_empty() {
        return Some("it is empty");
    }
    let allowed = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-';
    (!region.bytes().all(allowed))
        .then_some("a region name has only a-z, 0-9 and `-` (such as ap-guangzhou)")
}

/// The service a Tencent Cloud API URL is for: the first label of a
/// `<service>.….tencentcloudapi.com` host, as [`api_host`] writes them.
pub(crate) fn api_service_of(url: &str) -> Option<String> {
    let url = Url::parse(url).ok()?;
    let host = url.host_str()?;
    let (service, rest) = host.split_once('.')?;
    let on_api_domain = rest == API_DOMAIN
        || rest
            .strip_suffix(API_DOMAIN)
            .is_some_and(|zone| zone.ends_with('.'));
    (on_api_domain && !service.is_empty()).then(|| service.to_owned())
}

/// Parses an endpoint URL, which must be `http(s)://host…`.
pub(super) fn parse_url(text: &str) -> Result<Url, TransportError> {
    let url =
        Url::parse(text).map_err(|e| invalid(format!("invalid endpoint URL {text:?}: {e}")))?;
    if url.host_str().is_none() || !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(format!(
            "invalid endpoint URL {text:?}: need http(s)://host"
        )));
    }
    Ok(url)
}

/// The `Host` header sent to `url`, which the signature must cover.
pub(super) fn host_header(url: &Url) -> String {
    let host = url
        .host_str()
        .expect("Endpoint::url only returns URLs with a host");
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// A request that cannot be built, for `message`.
pub(super) fn invalid(message: impl Into<String>) -> TransportError {
    TransportError::new(TransportErrorKind::InvalidRequest, message, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::LCIC;

    #[test]
    fn endpoints_resolve_per_service() {
        assert_eq!(
            Endpoint::Default.url(&LCIC, None).unwrap().as_str(),
            "https://lcic.tencentcloudapi.com/"
        );
        assert_eq!(
            Endpoint::International.url(&LCIC, None).unwrap().as_str(),
            "https://lcic.intl.tencentcloudapi.com/"
        );
        let local = Endpoint::Url("http://127.0.0.1:8080".into())
            .url(&LCIC, None)
            .unwrap();
        assert_eq!(host_header(&local), "127.0.0.1:8080");
        assert_eq!(
            host_header(&Endpoint::Default.url(&LCIC, None).unwrap()),
            "lcic.tencentcloudapi.com"
        );
        assert!(Endpoint::Url("not a url".into()).url(&LCIC, None).is_err());
        assert!(Endpoint::Url("ftp://x".into()).url(&LCIC, None).is_err());
    }

    #[test]
    fn regional_root_domain_and_recorded_international_endpoints() {
        let url = |endpoint: Endpoint, service: &Service, region| {
            endpoint.url(service, region).map(|u| u.to_string())
        };
        assert_eq!(
            url(Endpoint::Regional, &LCIC, Some("ap-singapore")).unwrap(),
            "https://lcic.ap-singapore.tencentcloudapi.com/"
        );
        let err = url(Endpoint::Regional, &LCIC, None).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::InvalidRequest);
        assert_eq!(
            url(Endpoint::RootDomain("fsi.example.com".into()), &LCIC, None).unwrap(),
            "https://lcic.fsi.example.com/"
        );
        // The spec's recorded international domain wins over the pattern.
        let recorded = Service {
            intl_endpoint: Some("lcic.global.example.com"),
            ..LCIC
        };
        assert_eq!(
            url(Endpoint::International, &recorded, None).unwrap(),
            "https://lcic.global.example.com/"
        );
    }

    #[test]
    fn a_region_that_is_no_region_name_never_reaches_the_host() {
        for region in [
            "ap-x/evil",
            "ap-x.evil.com",
            "ap-x?q=1",
            "ap-x#f",
            "AP-X",
            "",
            "ap x",
            "ap-x@evil",
        ] {
            let err = Endpoint::Regional.url(&LCIC, Some(region)).unwrap_err();
            assert_eq!(err.kind(), TransportErrorKind::InvalidRequest, "{region:?}");
            assert!(err.to_string().starts_with("invalid region"), "{err}");
        }
        for region in [
            "ap-guangzhou",
            "na-siliconvalley",
            "ap-shanghai-fsi",
            "eu-frankfurt",
        ] {
            assert!(check_region(region).is_ok(), "{region}");
        }
    }

    #[test]
    fn only_api_hosts_name_a_service() {
        let service = |url: &str| api_service_of(url);
        assert_eq!(
            service("https://lcic.tencentcloudapi.com"),
            Some("lcic".into())
        );
        assert_eq!(
            service("https://dnspod.ap-guangzhou.tencentcloudapi.com/"),
            Some("dnspod".into())
        );
        assert_eq!(service("https://tencentcloudapi.com"), None);
        assert_eq!(service("https://lcic.nottencentcloudapi.com"), None);
        assert_eq!(service("http://127.0.0.1:9"), None);
    }

    #[test]
    fn the_mainland_url_of_a_service_is_a_constant() {
        const STS: &str = mainland_url!("sts");
        assert_eq!(STS, "https://sts.tencentcloudapi.com");
        let sts = Service {
            name: "sts",
            ..LCIC
        };
        assert_eq!(
            Endpoint::Default.url(&sts, None).unwrap().as_str(),
            format!("{STS}/")
        );
    }
}
