//! A parallel map for work items whose costs vary a hundredfold (a one-line method beside a
//! type with hundreds of fields): threads take the next unclaimed item, so none sits idle while
//! another has a queue. Used for formatting here and for reading the typed document in xtask.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `items` mapped through `f`, in order, on up to as many threads as the machine has.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |it| it.get()).min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else { return done };
            done.push((index, f(item)));
        }
    };
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut results = work();
        for helper in helpers {
            results.extend(helper.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        results
    });
    results.sort_unstable_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..1000).collect();
        let squares = super::map(&items, |it| {
            // Uneven work, so threads finish items out of order.
            if it % 7 == 0 {
                std::thread::yield_now();
            }
            it * it
        });
        assert_eq!(squares, items.iter().map(|it| it * it).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u8], |it| *it).is_empty());
    }
}
