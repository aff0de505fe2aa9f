//! Python's `pickle` for JSON-shaped data: [`dumps`] writes what CPython's
//! `pickle.dumps(obj, protocol=5)` writes for a value made of `dict` (with `str` keys),
//! `list`, `str`, `int`, `float`, `bool` and `None`, and [`loads`] reads those values back from
//! any pickle of protocol 2 to 5 that uses only the opcodes such values produce (memo
//! references, tuples and the protocol 0/1 container opcodes included).
//!
//! Nothing else is accepted: there is no `GLOBAL`, `REDUCE`, `BUILD` or persistent-id support,
//! so [`loads`] never constructs anything but plain data and is safe on untrusted input (a
//! class instance, a `datetime` or a `set` is [`Error::Unsupported`]).
//!
//! Output is byte-for-byte CPython's (C `_pickle`, protocol 5) for values in which no string
//! object appears twice, which is what a value decoded from JSON or built from literals is: the
//! memo is written (`MEMOIZE` after every `dict`, `list` and `str`) but never referenced, since
//! a JSON value has no object identity. Framing follows CPython: one `FRAME` per 64 KiB
//! (committed after the object that reaches it), none under 4 bytes, and strings of 64 KiB or
//! more written outside frames.
//!
//! # Examples
//! ```
//! use nuages_py::pickle;
//! use serde_json::json;
//!
//! let value = json!({"username": "john_doe", "visit_count": 1});
//! let bytes = pickle::dumps(&value).unwrap();
//! // pickle.dumps({"username": "john_doe", "visit_count": 1}, 5)
//! assert_eq!(
//!     bytes,
//!     b"\x80\x05\x95+\x00\x00\x00\x00\x00\x00\x00}\x94(\x8c\x08username\x94\x8c\x08john_doe\
//!       \x94\x8c\x0bvisit_count\x94K\x01u.",
//! );
//! assert_eq!(pickle::loads(&bytes).unwrap(), value);
//! assert!(pickle::loads(b"\x80\x04cos\nsystem\n.").is_err()); // GLOBAL: refused
//! ```

use std::fmt;

use serde_json::{Map, Number, Value};

/// The protocol [`dumps`] writes: `pickle.HIGHEST_PROTOCOL` of Python 3.8 and later, which is
/// what Django's `RedisSerializer` uses.
pub const PROTOCOL: u8 = 5;

/// CPython's `_FRAME_SIZE_TARGET`.
const FRAME_SIZE_TARGET: usize = 64 * 1024;
/// CPython's `_FRAME_SIZE_MIN`: smaller frames are written without a `FRAME` header.
const FRAME_SIZE_MIN: usize = 4;
/// CPython's `_BATCHSIZE` for `APPENDS` / `SETITEMS`.
const BATCH_SIZE: usize = 1000;

mod op {
    pub const MARK: u8 = b'(';
    pub const STOP: u8 = b'.';
    pub const POP: u8 = b'0';
    pub const POP_MARK: u8 = b'1';
    pub const INT: u8 = b'I';
    pub const BININT: u8 = b'J';
    pub const BININT1: u8 = b'K';
    pub const BININT2: u8 = b'M';
    pub const NONE: u8 = b'N';
    pub const BINUNICODE: u8 = b'X';
    pub const APPEND: u8 = b'a';
    pub const DICT: u8 = b'd';
    pub const EMPTY_DICT: u8 = b'}';
    pub const APPENDS: u8 = b'e';
    pub const GET: u8 = b'g';
    pub const BINGET: u8 = b'h';
    pub const LONG_BINGET: u8 = b'j';
    pub const LIST: u8 = b'l';
    pub const EMPTY_LIST: u8 = b']';
    pub const PUT: u8 = b'p';
    pub const BINPUT: u8 = b'q';
    pub const LONG_BINPUT: u8 = b'r';
    pub const SETITEM: u8 = b's';
    pub const TUPLE: u8 = b't';
    pub const EMPTY_TUPLE: u8 = b')';
    pub const SETITEMS: u8 = b'u';
    pub const BINFLOAT: u8 = b'G';
    pub const PROTO: u8 = 0x80;
    pub const TUPLE1: u8 = 0x85;
    pub const TUPLE2: u8 = 0x86;
    pub const TUPLE3: u8 = 0x87;
    pub const NEWTRUE: u8 = 0x88;
    pub const NEWFALSE: u8 = 0x89;
    pub const LONG1: u8 = 0x8a;
    pub const LONG4: u8 = 0x8b;
    pub const SHORT_BINUNICODE: u8 = 0x8c;
    pub const BINUNICODE8: u8 = 0x8d;
    pub const MEMOIZE: u8 = 0x94;
    pub const FRAME: u8 = 0x95;
}

/// Why a pickle could not be written or read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The data ended before `STOP` (Python: `EOFError` / `UnpicklingError`).
    Truncated,
    /// An opcode outside the supported subset (a class, a `set`, `bytes`, …), or a value JSON
    /// cannot hold (a `NaN`, an integer beyond 64 bits, a non-`str` dict key).
    Unsupported(String),
    /// A malformed pickle: a bad memo reference, a stack underflow, invalid UTF-8, …
    Invalid(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Truncated => f.write_str("pickle data was truncated"),
            Error::Unsupported(m) => write!(f, "unsupported pickle content: {m}"),
            Error::Invalid(m) => write!(f, "invalid pickle: {m}"),
        }
    }
}

impl std::error::Error for Error {}

// ----- dumps -----

/// The output buffer with CPython's framing.
struct Framer {
    out: Vec<u8>,
    /// Where the current frame's 9-byte header was reserved, if a frame is open.
    frame_start: Option<usize>,
}

impl Framer {
    fn write(&mut self, bytes: &[u8]) {
        if self.frame_start.is_none() {
            self.frame_start = Some(self.out.len());
            self.out.extend_from_slice(&[0; 9]);
        }
        self.out.extend_from_slice(bytes);
    }

    /// `_Pickler_CommitFrame`: fills in the header, or drops it for a tiny frame.
    fn commit(&mut self) {
        if let Some(start) = self.frame_start.take() {
            let len = self.out.len() - start - 9;
            if len >= FRAME_SIZE_MIN {
                self.out[start] = op::FRAME;
                self.out[start + 1..start + 9].copy_from_slice(&(len as u64).to_le_bytes());
            } else {
                self.out.drain(start..start + 9);
            }
        }
    }

    /// `_Pickler_OpcodeBoundary`: after each saved object, a frame that reached the target is
    /// committed.
    fn boundary(&mut self) {
        if let Some(start) = self.frame_start {
            if self.out.len() - start - 9 >= FRAME_SIZE_TARGET {
                self.commit();
            }
        }
    }

    /// `_Pickler_write_bytes`: payloads of 64 KiB or more go outside frames.
    fn write_large(&mut self, header: &[u8], payload: &[u8]) {
        if payload.len() >= FRAME_SIZE_TARGET {
            self.commit();
            self.out.extend_from_slice(header);
            self.out.extend_from_slice(payload);
        } else {
            self.write(header);
            self.write(payload);
        }
    }
}

/// `pickle.encode_long`: minimal two's-complement little-endian bytes.
fn encode_long(x: i128) -> Vec<u8> {
    if x == 0 {
        return Vec::new();
    }
    let bits = if x < 0 {
        128 - (!x).leading_zeros()
    } else {
        128 - x.leading_zeros()
    };
    let nbytes = (bits >> 3) as usize + 1;
    let mut result = x.to_le_bytes()[..nbytes.min(16)].to_vec();
    if x < 0 && nbytes > 1 && result[nbytes - 1] == 0xff && result[nbytes - 2] & 0x80 != 0 {
        result.pop();
    }
    result
}

fn save_int(f: &mut Framer, x: i128) {
    if (0..=0xff).contains(&x) {
        f.write(&[op::BININT1, x as u8]);
    } else if (0..=0xffff).contains(&x) {
        f.write(&[op::BININT2]);
        f.write(&(x as u16).to_le_bytes());
    } else if (-0x8000_0000..=0x7fff_ffff).contains(&x) {
        f.write(&[op::BININT]);
        f.write(&(x as i32).to_le_bytes());
    } else {
        let encoded = encode_long(x);
        f.write(&[op::LONG1, encoded.len() as u8]);
        f.write(&encoded);
    }
}

fn save_str(f: &mut Framer, s: &str) {
    let n = s.len();
    if n <= 0xff {
        f.write(&[op::SHORT_BINUNICODE, n as u8]);
        f.write(s.as_bytes());
    } else if n > 0xffff_ffff {
        let mut header = vec![op::BINUNICODE8];
        header.extend_from_slice(&(n as u64).to_le_bytes());
        f.write_large(&header, s.as_bytes());
    } else {
        let mut header = vec![op::BINUNICODE];
        header.extend_from_slice(&(n as u32).to_le_bytes());
        f.write_large(&header, s.as_bytes());
    }
    f.write(&[op::MEMOIZE]);
}

fn save(f: &mut Framer, value: &Value) -> Result<(), Error> {
    match value {
        Value::Null => f.write(&[op::NONE]),
        Value::Bool(true) => f.write(&[op::NEWTRUE]),
        Value::Bool(false) => f.write(&[op::NEWFALSE]),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                save_int(f, i128::from(i));
            } else if let Some(u) = n.as_u64() {
                save_int(f, i128::from(u));
            } else {
                let x = n
                    .as_f64()
                    .ok_or_else(|| Error::Unsupported(format!("number {n}")))?;
                f.write(&[op::BINFLOAT]);
                f.write(&x.to_be_bytes());
            }
        }
        Value::String(s) => save_str(f, s),
        Value::Array(items) => {
            f.write(&[op::EMPTY_LIST, op::MEMOIZE]);
            for chunk in items.chunks(BATCH_SIZE) {
                if chunk.len() > 1 {
                    f.write(&[op::MARK]);
                    for item in chunk {
                        save(f, item)?;
                    }
                    f.write(&[op::APPENDS]);
                } else {
                    save(f, &chunk[0])?;
                    f.write(&[op::APPEND]);
                }
            }
        }
        Value::Object(map) => {
            f.write(&[op::EMPTY_DICT, op::MEMOIZE]);
            let items: Vec<(&String, &Value)> = map.iter().collect();
            for chunk in items.chunks(BATCH_SIZE) {
                if chunk.len() > 1 {
                    f.write(&[op::MARK]);
                    for (k, v) in chunk {
                        save_str(f, k);
                        f.boundary();
                        save(f, v)?;
                    }
                    f.write(&[op::SETITEMS]);
                } else {
                    let (k, v) = chunk[0];
                    save_str(f, k);
                    f.boundary();
                    save(f, v)?;
                    f.write(&[op::SETITEM]);
                }
            }
        }
    }
    f.boundary();
    Ok(())
}

/// `pickle.dumps(value, protocol=5)` as CPython writes it (see the [module docs](self)).
///
/// # Errors
/// [`Error::Unsupported`] for a number that is neither an integer nor a finite float (not
/// reachable with `serde_json` numbers).
pub fn dumps(value: &Value) -> Result<Vec<u8>, Error> {
    let mut f = Framer {
        out: vec![op::PROTO, PROTOCOL],
        frame_start: None,
    };
    save(&mut f, value)?;
    f.write(&[op::STOP]);
    f.commit();
    Ok(f.out)
}

// ----- loads -----

/// What the unpickler's stack holds: a value, or a `MARK`.
enum Item {
    Mark,
    Value(Value),
}

struct Unpickler<'a> {
    data: &'a [u8],
    pos: usize,
    stack: Vec<Item>,
    memo: std::collections::HashMap<u64, Value>,
}

impl<'a> Unpickler<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        let end = self.pos.checked_add(n).ok_or(Error::Truncated)?;
        let bytes = self.data.get(self.pos..end).ok_or(Error::Truncated)?;
        self.pos = end;
        Ok(bytes)
    }

    fn byte(&mut self) -> Result<u8, Error> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32, Error> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64, Error> {
        let b = self.take(8)?;
        let mut a = [0; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    fn line(&mut self) -> Result<&'a str, Error> {
        let rest = &self.data[self.pos..];
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or(Error::Truncated)?;
        self.pos += end + 1;
        std::str::from_utf8(&rest[..end]).map_err(|_| Error::Invalid("non-ASCII argument".into()))
    }

    fn push(&mut self, v: Value) {
        self.stack.push(Item::Value(v));
    }

    fn pop(&mut self) -> Result<Value, Error> {
        match self.stack.pop() {
            Some(Item::Value(v)) => Ok(v),
            Some(Item::Mark) => Err(Error::Invalid("unexpected MARK".into())),
            None => Err(Error::Invalid("unpickling stack underflow".into())),
        }
    }

    /// The values above the topmost MARK, which is removed.
    fn pop_mark(&mut self) -> Result<Vec<Value>, Error> {
        let at = self
            .stack
            .iter()
            .rposition(|i| matches!(i, Item::Mark))
            .ok_or_else(|| Error::Invalid("could not find MARK".into()))?;
        let items = self.stack.split_off(at + 1);
        self.stack.pop();
        Ok(items
            .into_iter()
            .filter_map(|i| match i {
                Item::Value(v) => Some(v),
                Item::Mark => None,
            })
            .collect())
    }

    fn top(&mut self) -> Result<&mut Value, Error> {
        match self.stack.last_mut() {
            Some(Item::Value(v)) => Ok(v),
            _ => Err(Error::Invalid("unpickling stack underflow".into())),
        }
    }

    fn string(&mut self, n: usize) -> Result<(), Error> {
        let bytes = self.take(n)?;
        let s = std::str::from_utf8(bytes)
            .map_err(|_| Error::Unsupported("a str that is not valid UTF-8".into()))?;
        self.push(Value::String(s.to_owned()));
        Ok(())
    }

    fn memo_put(&mut self, index: u64) -> Result<(), Error> {
        let v = self.top()?.clone();
        self.memo.insert(index, v);
        Ok(())
    }

    fn memo_get(&mut self, index: u64) -> Result<(), Error> {
        let v = self
            .memo
            .get(&index)
            .cloned()
            .ok_or_else(|| Error::Invalid(format!("memo value not found at index {index}")))?;
        self.push(v);
        Ok(())
    }

    fn set_items(&mut self, pairs: Vec<Value>) -> Result<(), Error> {
        if pairs.len() % 2 != 0 {
            return Err(Error::Invalid("odd number of items for SETITEMS".into()));
        }
        let mut it = pairs.into_iter();
        let Value::Object(map) = self.top()? else {
            return Err(Error::Unsupported(
                "SETITEMS on something else than a dict".into(),
            ));
        };
        while let (Some(k), Some(v)) = (it.next(), it.next()) {
            let Value::String(k) = k else {
                return Err(Error::Unsupported(format!("dict key {k}")));
            };
            map.insert(k, v);
        }
        Ok(())
    }

    fn append(&mut self, items: Vec<Value>) -> Result<(), Error> {
        let Value::Array(list) = self.top()? else {
            return Err(Error::Unsupported(
                "APPENDS on something else than a list".into(),
            ));
        };
        list.extend(items);
        Ok(())
    }

    fn run(&mut self) -> Result<Value, Error> {
        loop {
            let code = self.byte()?;
            match code {
                op::PROTO => {
                    let proto = self.byte()?;
                    if proto > PROTOCOL {
                        return Err(Error::Unsupported(format!("pickle protocol {proto}")));
                    }
                }
                op::FRAME => {
                    self.u64()?;
                }
                op::STOP => return self.pop(),
                op::MARK => self.stack.push(Item::Mark),
                op::POP => {
                    self.stack.pop();
                }
                op::POP_MARK => {
                    self.pop_mark()?;
                }
                op::NONE => self.push(Value::Null),
                op::NEWTRUE => self.push(Value::Bool(true)),
                op::NEWFALSE => self.push(Value::Bool(false)),
                op::BININT1 => {
                    let b = self.byte()?;
                    self.push(Value::from(b));
                }
                op::BININT2 => {
                    let b = self.take(2)?;
                    self.push(Value::from(u16::from_le_bytes([b[0], b[1]])));
                }
                op::BININT => {
                    let v = self.u32()? as i32;
                    self.push(Value::from(v));
                }
                op::INT => {
                    let line = self.line()?;
                    let v = match line {
                        "00" => Value::Bool(false),
                        "01" => Value::Bool(true),
                        s => Value::from(
                            s.trim()
                                .parse::<i64>()
                                .map_err(|_| Error::Unsupported(format!("INT {s:?}")))?,
                        ),
                    };
                    self.push(v);
                }
                op::LONG1 | op::LONG4 => {
                    let n = if code == op::LONG1 {
                        usize::from(self.byte()?)
                    } else {
                        self.u32()? as usize
                    };
                    let bytes = self.take(n)?;
                    self.push(decode_long(bytes)?);
                }
                op::BINFLOAT => {
                    let b = self.take(8)?;
                    let mut a = [0; 8];
                    a.copy_from_slice(b);
                    let x = f64::from_be_bytes(a);
                    let n = Number::from_f64(x)
                        .ok_or_else(|| Error::Unsupported(format!("float {x}")))?;
                    self.push(Value::Number(n));
                }
                op::SHORT_BINUNICODE => {
                    let n = usize::from(self.byte()?);
                    self.string(n)?;
                }
                op::BINUNICODE => {
                    let n = self.u32()? as usize;
                    self.string(n)?;
                }
                op::BINUNICODE8 => {
                    let n = usize::try_from(self.u64()?).map_err(|_| Error::Truncated)?;
                    self.string(n)?;
                }
                op::EMPTY_DICT => self.push(Value::Object(Map::new())),
                op::EMPTY_LIST => self.push(Value::Array(Vec::new())),
                op::EMPTY_TUPLE => self.push(Value::Array(Vec::new())),
                op::DICT => {
                    let items = self.pop_mark()?;
                    self.push(Value::Object(Map::new()));
                    self.set_items(items)?;
                }
                op::LIST | op::TUPLE => {
                    let items = self.pop_mark()?;
                    self.push(Value::Array(items));
                }
                op::TUPLE1 | op::TUPLE2 | op::TUPLE3 => {
                    let n = usize::from(code - op::TUPLE1 + 1);
                    let mut items = Vec::with_capacity(n);
                    for _ in 0..n {
                        items.push(self.pop()?);
                    }
                    items.reverse();
                    self.push(Value::Array(items));
                }
                op::SETITEM => {
                    let v = self.pop()?;
                    let k = self.pop()?;
                    self.set_items(vec![k, v])?;
                }
                op::SETITEMS => {
                    let items = self.pop_mark()?;
                    self.set_items(items)?;
                }
                op::APPEND => {
                    let v = self.pop()?;
                    self.append(vec![v])?;
                }
                op::APPENDS => {
                    let items = self.pop_mark()?;
                    self.append(items)?;
                }
                op::MEMOIZE => {
                    let index = self.memo.len() as u64;
                    self.memo_put(index)?;
                }
                op::BINPUT => {
                    let i = self.byte()?;
                    self.memo_put(u64::from(i))?;
                }
                op::LONG_BINPUT => {
                    let i = self.u32()?;
                    self.memo_put(u64::from(i))?;
                }
                op::PUT => {
                    let i = self.line()?;
                    let i = i
                        .parse()
                        .map_err(|_| Error::Invalid(format!("PUT {i:?}")))?;
                    self.memo_put(i)?;
                }
                op::BINGET => {
                    let i = self.byte()?;
                    self.memo_get(u64::from(i))?;
                }
                op::LONG_BINGET => {
                    let i = self.u32()?;
                    self.memo_get(u64::from(i))?;
                }
                op::GET => {
                    let i = self.line()?;
                    let i = i
                        .parse()
                        .map_err(|_| Error::Invalid(format!("GET {i:?}")))?;
                    self.memo_get(i)?;
                }
                other => {
                    return Err(Error::Unsupported(format!(
                        "opcode {:?} at byte {}",
                        char::from(other),
                        self.pos - 1
                    )))
                }
            }
        }
    }
}

/// `pickle.decode_long`, for what fits in 64 bits.
fn decode_long(bytes: &[u8]) -> Result<Value, Error> {
    if bytes.is_empty() {
        return Ok(Value::from(0));
    }
    if bytes.len() > 16 {
        return Err(Error::Unsupported("an integer beyond 64 bits".into()));
    }
    let negative = bytes[bytes.len() - 1] & 0x80 != 0;
    let mut a = [if negative { 0xff } else { 0 }; 16];
    a[..bytes.len()].copy_from_slice(bytes);
    let x = i128::from_le_bytes(a);
    if let Ok(i) = i64::try_from(x) {
        Ok(Value::from(i))
    } else if let Ok(u) = u64::try_from(x) {
        Ok(Value::from(u))
    } else {
        Err(Error::Unsupported(format!("the integer {x}")))
    }
}

/// `pickle.loads(data)` for JSON-shaped data (see the [module docs](self)); tuples become
/// arrays.
///
/// # Errors
/// [`Error::Truncated`], [`Error::Invalid`], or [`Error::Unsupported`] for anything that is
/// not plain data (and for bytes after `STOP`).
pub fn loads(data: &[u8]) -> Result<Value, Error> {
    let mut u = Unpickler {
        data,
        pos: 0,
        stack: Vec::new(),
        memo: std::collections::HashMap::new(),
    };
    let value = u.run()?;
    if u.pos != data.len() {
        return Err(Error::Invalid("data after STOP".into()));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap_or(0))
            .collect()
    }

    /// `pickle.dumps(case, 5).hex()` from CPython 3.11.
    #[test]
    fn cpython_vectors() {
        let cases = [
            (json!({}), "80057d942e"),
            (
                json!({"username": "john_doe", "visit_count": 1}),
                "8005952b000000000000007d94288c08757365726e616d65948c086a6f686e5f646f65948c0b76697369745f636f756e74944b01752e",
            ),
            (
                json!({"u": 9_223_372_036_854_775_808_u64, "i": i64::MIN, "f": 1e300, "nf": -0.0, "emoji": "😀"}),
                "8005954c000000000000007d94288c0175948a090000000000000080008c0169948a0800000000000000808c016694477e37e43c8800759c8c026e66944780000000000000008c05656d6f6a69948c04f09f988094752e",
            ),
        ];
        for (value, expected) in cases {
            let bytes = dumps(&value).unwrap_or_default();
            assert_eq!(bytes, hex(expected), "{value}");
            assert_eq!(loads(&bytes).ok(), Some(value));
        }
    }

    #[test]
    fn int_sizes_lists_and_long_strings() {
        let value = json!({
            "a": [1, 2.5, null, true, false], "b": {"c": "Zoë"}, "n": -1,
            "big": 1_099_511_627_776_i64, "neg": -2_147_483_649_i64, "m": 65535, "m2": 65536,
            "k": 255, "k2": 256, "s": "x".repeat(300), "e": [], "one": [1]
        });
        let expected = format!(
            "800595b7010000000000007d94288c0161945d94284b014740040000000000004e8889658c0162947d948c0163948c045a6fc3ab94738c016e944affffffff8c03626967948a060000000000018c036e6567948a05ffffff7fff8c016d944dffff8c026d32944a000001008c016b944bff8c026b32944d00018c017394582c010000{}948c0165945d948c036f6e65945d944b0161752e",
            "78".repeat(300)
        );
        assert_eq!(dumps(&value).unwrap_or_default(), hex(&expected));
    }

    #[test]
    fn memo_references_from_json_loads() {
        // pickle.dumps(json.loads('{"x": [{"a": 1}, {"a": 2}]}'), 5): the key "a" is shared.
        let bytes =
            hex("8005951c000000000000007d948c0178945d94287d948c0161944b01737d9468044b027365732e");
        assert_eq!(loads(&bytes).ok(), Some(json!({"x": [{"a": 1}, {"a": 2}]})));
    }

    #[test]
    fn refuses_what_is_not_data() {
        for bad in [
            &b"\x80\x04cos\nsystem\n(S'ls'\ntR."[..],
            b"\x80\x05K\x01..",
            b"\x80\x05}(K\x01K\x02u.",
            b"\x80\x05h\x05.",
            b"\x80\x06}.",
            b"\x80\x05G\x7f\xf8\x00\x00\x00\x00\x00\x00.",
            b"",
        ] {
            assert!(loads(bad).is_err(), "{bad:?}");
        }
        assert!(matches!(loads(b"\x80\x05}\x94"), Err(Error::Truncated)));
        assert_eq!(
            loads(b"\x80\x02]q\x00(K\x01\x85q\x01e.").ok(),
            Some(json!([[1]]))
        );
    }

    fn fnv1a(bytes: &[u8]) -> u64 {
        bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    }

    /// Batches of 1000, frames cut at 64 KiB, strings of 64 KiB outside frames: the length and
    /// FNV-1a hash of CPython 3.11's `pickle.dumps(case, 5)`.
    #[test]
    fn batches_and_frames_like_cpython() {
        let mut many = Map::new();
        for i in 0..200 {
            many.insert(format!("k{i}"), Value::from(format!("{i:04}").repeat(250)));
        }
        let cases = [
            // {"l": list(range(2500))}
            (
                json!({"l": (0..2500).collect::<Vec<i64>>()}),
                7271,
                0x39b0_b6aa_6a63_b3a4,
            ),
            // {"s": "y" * 65536}
            (
                json!({"s": "y".repeat(65536)}),
                65561,
                0xc87e_17ec_463f_0790,
            ),
            // {"k%d" % i: ("%04d" % i) * 250 for i in range(200)}
            (Value::Object(many), 202_533, 0x3fb6_9457_285d_6cff),
            // {"a": [("z%05d" % i) * 20 for i in range(1000)], "b": "q" * 70000, "c": 1}
            (
                json!({
                    "a": (0..1000).map(|i| format!("z{i:05}").repeat(20)).collect::<Vec<_>>(),
                    "b": "q".repeat(70000),
                    "c": 1
                }),
                193_058,
                0x3af1_eb5f_4f5d_3285,
            ),
        ];
        for (value, len, hash) in cases {
            let bytes = dumps(&value).unwrap_or_default();
            assert_eq!((bytes.len(), fnv1a(&bytes)), (len, hash));
            assert_eq!(loads(&bytes).ok(), Some(value));
        }
    }
}
