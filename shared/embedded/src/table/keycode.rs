//! An order-preserving encoding of key tuples into bytes.
//!
//! Each component is written with `0x00` escaped as `0x00 0xFF` and ended by
//! `0x00 0x01`, so comparing encodings byte by byte compares the tuples
//! component by component, exactly as DynamoDB orders keys (UTF-8 bytes).

pub fn encode(parts: &[&str]) -> Vec<u8> {
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.len() + 2).sum());
    for p in parts {
        out.extend(escaped_prefix(p, true));
    }
    out
}

/// One component, escaped; with `terminated` also ended, else left open as a
/// prefix of every component that begins with it.
pub fn escaped_prefix(part: &str, terminated: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(part.len() + 2);
    for &b in part.as_bytes() {
        out.push(b);
        if b == 0 {
            out.push(0xFF);
        }
    }
    if terminated {
        out.extend([0x00, 0x01]);
    }
    out
}

/// The smallest key greater than every key that starts with `prefix`. After
/// an escaped prefix comes a UTF-8 byte (never `0xFF`) or `0x00`, so
/// appending `0xFF` bounds them all.
pub fn upper_of_prefix(prefix: &[u8]) -> Vec<u8> {
    let mut out = prefix.to_vec();
    out.push(0xFF);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_keeps_tuple_order() {
        let mut tuples = vec![
            vec!["a", "b"],
            vec!["a", ""],
            vec!["a\0", "a"],
            vec!["ab", "a"],
            vec!["a", "b\0"],
            vec!["a", "ba"],
            vec!["", "z"],
        ];
        let mut by_bytes = tuples.clone();
        tuples.sort();
        by_bytes.sort_by_key(|t| encode(t));
        assert_eq!(tuples, by_bytes);
    }
}
