//! Two real services generated at build time (see `build.rs`), for the
//! loopback tests that need their shapes: ccc `DescribeNumbers` counts pages
//! from 0 ("页数，从0开始"), sts `GetFederationToken` answers with secrets,
//! cls `UploadLog` takes raw bytes with its members in headers.

/// Cloud Contact Center (ccc 2020-02-10).
pub mod ccc {
    include!(concat!(env!("OUT_DIR"), "/ccc/include.rs"));
}

/// Cloud Log Service (cls 2020-10-16): `UploadLog` takes raw bytes.
pub mod cls {
    include!(concat!(env!("OUT_DIR"), "/cls/include.rs"));
}

/// Security Token Service (sts 2018-08-13).
pub mod sts {
    include!(concat!(env!("OUT_DIR"), "/sts/include.rs"));
}
