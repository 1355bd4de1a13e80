//! Cursor paging over `Table::query`.
//!
//! A page queries `limit + 1` items so the last page carries no `next`. A
//! filtered page holds at most `limit` matches and may run a few queries to
//! fill itself; it may come back short, with a `next`.

use crate::auth::cursor::Direction;
use crate::auth::Keys;
use crate::error::Result;
use crate::ports::{Index, Item, Query, Table};

pub const DEFAULT_LIMIT: usize = 25;
pub const MAX_LIMIT: usize = 100;
/// Queries one filtered page may run before it returns short.
const MAX_ROUNDS: usize = 5;
/// Items a filtered query reads per round, at least.
const FILTERED_READ: usize = 100;

/// Where a page starts, as the client asked.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub limit: usize,
    pub cursor: Option<(Direction, String)>,
    pub index: Index,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            limit: DEFAULT_LIMIT,
            cursor: None,
            index: Index::Primary,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub next: Option<String>,
    pub prev: Option<String>,
}

impl<T> Page<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            data: self.data.into_iter().map(f).collect(),
            next: self.next,
            prev: self.prev,
        }
    }
}

/// The key a cursor holds for `item` on `index`: the table key, plus the
/// index key on `gs1`, as DynamoDB's `ExclusiveStartKey` wants.
fn cursor_key(index: Index, item: &Item) -> Item {
    let mut names = vec!["pk", "sk"];
    if index == Index::Gs1 {
        names.extend(["gs1pk", "gs1sk"]);
    }
    names
        .into_iter()
        .filter_map(|n| item.get(n).map(|v| (n.to_string(), v.clone())))
        .collect()
}

/// Pages a list already read whole and sorted by `key` (ascending, unique),
/// with the same sealed cursors as [`page`]: for lists bounded by the plan,
/// such as a user's groups in name order.
pub fn page_sorted<T>(
    keys: &Keys,
    scope: &str,
    items: Vec<(String, T)>,
    req: &PageRequest,
) -> Result<Page<T>> {
    let scope = format!("{scope}\u{0}sorted");
    let seal = |dir, k: &str| {
        let mut item = Item::new();
        item.insert("k".into(), k.into());
        keys.seal_cursor(&scope, dir, item)
    };
    let (dir, at) = match &req.cursor {
        None => (Direction::Next, None),
        Some((dir, c)) => {
            let item = keys.open_cursor(&scope, *dir, c)?;
            let k = item
                .get("k")
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string();
            (*dir, Some(k))
        }
    };
    let (start, end) = match (dir, &at) {
        (_, None) => (0, items.len().min(req.limit)),
        (Direction::Next, Some(k)) => {
            let from = items.partition_point(|(key, _)| key.as_str() <= k.as_str());
            (from, items.len().min(from + req.limit))
        }
        (Direction::Prev, Some(k)) => {
            let to = items.partition_point(|(key, _)| key.as_str() < k.as_str());
            (to.saturating_sub(req.limit), to)
        }
    };
    let key_at = |i: usize| items[i].0.clone();
    let next = if end < items.len() && end > start {
        Some(seal(Direction::Next, &key_at(end - 1))?)
    } else if end <= start && dir == Direction::Prev {
        at.as_deref()
            .map(|k| seal(Direction::Next, k))
            .transpose()?
    } else {
        None
    };
    let prev = if start > 0 && end > start {
        Some(seal(Direction::Prev, &key_at(start))?)
    } else if end <= start && dir == Direction::Next {
        at.as_deref()
            .map(|k| seal(Direction::Prev, k))
            .transpose()?
    } else {
        None
    };
    let data = items
        .into_iter()
        .skip(start)
        .take(end - start)
        .map(|(_, t)| t)
        .collect();
    Ok(Page { data, next, prev })
}

/// Runs `base` (index, partition, sort-key condition, filter) as one page.
/// `scope` names the query completely (operation, account, filters); cursors
/// are bound to it and to the index.
pub async fn page(
    table: &dyn Table,
    keys: &Keys,
    scope: &str,
    mut base: Query,
    req: &PageRequest,
) -> Result<Page<Item>> {
    let scope = format!("{scope}\u{0}{:?}", req.index);
    let (dir, start) = match &req.cursor {
        None => (Direction::Next, None),
        Some((dir, c)) => (*dir, Some(keys.open_cursor(&scope, *dir, c)?)),
    };
    let from_cursor = start.is_some();
    let want = req.limit + 1;
    base.index = req.index;
    // `base.forward` is the page order (newest first when false); a `prev`
    // cursor reads the other way.
    base.forward = (dir == Direction::Next) == base.forward;
    base.start_after = start.clone();
    let filtered = base.filter.is_some();

    let mut items = Vec::with_capacity(want);
    let mut resume = None;
    for round in 1..=MAX_ROUNDS {
        let missing = want - items.len();
        base.limit = Some(if filtered {
            missing.max(FILTERED_READ)
        } else {
            missing
        });
        let page = table.query(&base).await?;
        items.extend(page.items);
        match page.last_key {
            None => break,
            Some(_) if items.len() >= want => break,
            Some(k) if round == MAX_ROUNDS => resume = Some(k),
            Some(k) => base.start_after = Some(k),
        }
    }

    // Where the following page starts, if there is one.
    let more_at = if items.len() > req.limit {
        items.truncate(req.limit);
        items.last().map(|i| cursor_key(req.index, i))
    } else {
        resume
    };
    let more = more_at
        .map(|k| keys.seal_cursor(&scope, dir, k))
        .transpose()?;
    // The way back: from the first item shown, or from where we came.
    let back_dir = match dir {
        Direction::Next => Direction::Prev,
        Direction::Prev => Direction::Next,
    };
    let back = if from_cursor {
        let k = items.first().map(|i| cursor_key(req.index, i)).or(start);
        k.map(|k| keys.seal_cursor(&scope, back_dir, k))
            .transpose()?
    } else {
        None
    };
    Ok(match dir {
        Direction::Next => Page {
            data: items,
            next: more,
            prev: back,
        },
        Direction::Prev => {
            items.reverse();
            Page {
                data: items,
                next: back,
                prev: more,
            }
        }
    })
}
