//! Two real services generated at build time (see `build.rs`), for the
//! loopback tests that need their shapes: ccc `DescribeNumbers` counts pages
//! from 0 ("页数，从0开始"), sts `GetFederationToken` answers with secrets.

/// Cloud Contact Center (ccc 2020-02-10).
pub mod ccc {
    include!(concat!(env!("OUT_DIR"), "/ccc/include.rs"));
}

/// Security Token Service (sts 2018-08-13).
pub mod sts {
    include!(concat!(env!("OUT_DIR"), "/sts/include.rs"));
}
