//! A parallel map for work items whose costs vary a hundredfold (a one-line method beside a
//! type with hundreds of fields): threads take the next unclaimed item, so none sits idle while
//! another has a queue. Used for formatting here and for reading the typed document in xtask.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many threads `map` uses at most: as many as the machine has.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |it| it.get())
}

/// `items` mapped through `f`, in order, on up to [`threads`] threads. Each item is moved into
/// the call that maps it, so a large value can be consumed (and freed) as it is mapped.
pub fn map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = threads().min(items.len());
    if threads <= 1 {
        return items.into_iter().map(f).collect();
    }
    // Each slot is taken exactly once, by the thread that claimed its index.
    let slots: Vec<Mutex<Option<T>>> = items.into_iter().map(|it| Mutex::new(Some(it))).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(slot) = slots.get(index) else { return done };
            let item = slot.lock().expect("a slot's lock is never poisoned").take();
            done.push((index, f(item.expect("each index is claimed once"))));
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
        let squares = super::map(items.clone(), |it| {
            // Uneven work, so threads finish items out of order.
            if it % 7 == 0 {
                std::thread::yield_now();
            }
            it * it
        });
        assert_eq!(squares, items.iter().map(|it| it * it).collect::<Vec<_>>());
        assert!(super::map(Vec::<u8>::new(), |it| it).is_empty());
    }
}
