//! The equivalent of `django/core/serializers/`: Django's JSON encoder.

pub mod json;
