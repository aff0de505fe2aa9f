//! Values the framework's own layers attach to a request: the URL match, the CSRF state, the
//! session, the application context.
//!
//! `http` knows none of their types (it sits below `urls`, `middleware` and `sessions`); each
//! layer attaches and reads its own values by type through a small extension trait, the way
//! `RequestSessionExt` does. They are kept inline: attaching the two or three values every
//! routed request carries costs no allocation, where `http::Extensions` allocates its map.

use std::any::{Any, TypeId};
use std::fmt;
use std::sync::Arc;

type Value = Arc<dyn Any + Send + Sync>;

/// How many values are kept without allocating (more make every request larger to move).
const INLINE: usize = 4;

#[derive(Clone, Default)]
pub(crate) struct Attached {
    inline: [Option<Value>; INLINE],
    // Boxed: 8 bytes in every request instead of a `Vec`'s 24; rarely allocated at all.
    #[allow(clippy::box_collection)]
    more: Option<Box<Vec<Value>>>,
}

/// The type of the value behind the `Arc` (not of the `Arc` itself).
fn type_of(value: &Value) -> TypeId {
    (**value).type_id()
}

impl Attached {
    /// Attaches `value`, replacing a value of the same type.
    pub(crate) fn insert<T: Any + Send + Sync>(&mut self, value: Arc<T>) {
        let id = TypeId::of::<T>();
        let value: Value = value;
        let more = self.more.as_deref_mut().into_iter().flatten();
        if let Some(slot) = self
            .inline
            .iter_mut()
            .flatten()
            .chain(more)
            .find(|v| type_of(v) == id)
        {
            *slot = value;
            return;
        }
        match self.inline.iter_mut().find(|slot| slot.is_none()) {
            Some(free) => *free = Some(value),
            None => self.more.get_or_insert_with(Box::default).push(value),
        }
    }

    fn find(&self, id: TypeId) -> Option<&Value> {
        self.inline
            .iter()
            .flatten()
            .chain(self.more.iter().flat_map(|more| more.iter()))
            .find(|v| type_of(v) == id)
    }

    /// The attached `T`, if any.
    pub(crate) fn get<T: Any + Send + Sync>(&self) -> Option<&T> {
        self.find(TypeId::of::<T>())?.downcast_ref::<T>()
    }

    /// The attached `T` as a shared handle (one reference-count increment), if any.
    pub(crate) fn get_arc<T: Any + Send + Sync>(&self) -> Option<Arc<T>> {
        Arc::clone(self.find(TypeId::of::<T>())?)
            .downcast::<T>()
            .ok()
    }
}

impl fmt::Debug for Attached {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.inline.iter().flatten().count() + self.more.as_ref().map_or(0, |m| m.len());
        write!(f, "Attached({n} values)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_replace_and_spill() {
        let mut a = Attached::default();
        assert!(a.get::<u8>().is_none());
        a.insert(Arc::new(1u8));
        a.insert(Arc::new(2u16));
        a.insert(Arc::new(3u32));
        a.insert(Arc::new(4u64));
        a.insert(Arc::new(5u128));
        a.insert(Arc::new(String::from("six")));
        a.insert(Arc::new(7u8));
        assert_eq!(a.get::<u8>(), Some(&7));
        assert_eq!(a.get::<u128>(), Some(&5));
        assert_eq!(a.get::<String>().map(String::as_str), Some("six"));
        assert_eq!(a.get::<u64>(), Some(&4));
        assert_eq!(a.get_arc::<u128>().as_deref(), Some(&5));
        assert!(a.get_arc::<i16>().is_none());
        assert!(a.get::<i8>().is_none());
        assert_eq!(format!("{a:?}"), "Attached(6 values)");
    }
}
