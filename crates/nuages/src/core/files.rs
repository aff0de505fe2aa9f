//! The equivalent of `django/core/files/`: uploaded files.

pub mod uploadedfile;
