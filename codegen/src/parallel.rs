//! Work spread over all cores, with results in input order.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// `f` applied to every item on all cores; the results come back in the
/// order of `items`, whatever the scheduling.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let order: Vec<usize> = (0..items.len()).collect();
    map_in_order(items, &order, || (), |(), item| f(item))
}

/// [`map`], taking the items up in `order` (a permutation of their indices;
/// the largest first keeps the cores busy to the end), where each worker
/// thread first builds its own state with `init` (for what cannot cross
/// threads, such as `proc_macro2` tokens). Results still come back in the
/// order of `items`.
pub fn map_in_order<T: Sync, S, R: Send>(
    items: &[T],
    order: &[usize],
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R> {
    debug_assert_eq!(
        order.len(),
        items.len(),
        "order is a permutation of the items"
    );
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(items.len());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut state = init();
                loop {
                    let taken = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&i) = order.get(taken) else { break };
                    let item = &items[i];
                    let result = f(&mut state, item);
                    results
                        .lock()
                        .expect("no worker panics while holding the results lock")[i] =
                        Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("all workers have ended")
        .into_iter()
        .map(|r| r.expect("order is a permutation, so every item was taken by a worker"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_input_order_and_each_worker_has_its_state() {
        let items: Vec<u32> = (0..1000).collect();
        let order: Vec<usize> = (0..items.len()).collect();
        let out = super::map_in_order(&items, &order, Vec::new, |seen: &mut Vec<u32>, i| {
            seen.push(*i);
            i * 2
        });
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u8], |_| 0).is_empty());
        let reversed: Vec<usize> = (0..1000).rev().collect();
        let out = super::map_in_order(&items, &reversed, || (), |(), i| i + 1);
        assert_eq!(out, items.iter().map(|i| i + 1).collect::<Vec<_>>());
    }
}
