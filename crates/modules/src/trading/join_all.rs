//! Waiting for several futures at once, without a futures crate or a runtime: `/trade_stats`
//! fetches every holding's price concurrently, so the slowest quote bounds it, not their sum.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

enum Slot<F: Future> {
    Running(Pin<Box<F>>),
    Done(F::Output),
    Taken,
}

/// Runs `futures` concurrently (all polled by the one task awaiting this, as on wasm32) and
/// returns their outputs in the order given. Every still-running future is polled on each wake,
/// which is fine for the handful of holdings a portfolio has.
pub async fn join_all<F: Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let mut slots: Vec<Slot<F>> = futures.into_iter().map(|f| Slot::Running(Box::pin(f))).collect();
    std::future::poll_fn(move |cx| {
        let mut running = false;
        for slot in slots.iter_mut() {
            if let Slot::Running(future) = slot {
                match future.as_mut().poll(cx) {
                    Poll::Ready(output) => *slot = Slot::Done(output),
                    Poll::Pending => running = true,
                }
            }
        }
        if running {
            return Poll::Pending;
        }
        Poll::Ready(
            slots
                .iter_mut()
                .filter_map(|slot| match std::mem::replace(slot, Slot::Taken) {
                    Slot::Done(output) => Some(output),
                    Slot::Running(_) | Slot::Taken => None,
                })
                .collect(),
        )
    })
    .await
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::join_all;

    #[tokio::test]
    async fn outputs_keep_their_order_and_the_futures_overlap() {
        let running = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let outputs = join_all((1..=5u64).map(|n| {
            let (running, most) = (&running, &most);
            async move {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                // The first finishes last: order is the input's, not completion's.
                tokio::time::sleep(Duration::from_millis(60 - 10 * n)).await;
                running.fetch_sub(1, Ordering::SeqCst);
                n * 2
            }
        }))
        .await;
        assert_eq!(outputs, vec![2, 4, 6, 8, 10]);
        assert_eq!(most.load(Ordering::SeqCst), 5, "all five ran at once");
        assert!(join_all(Vec::<std::future::Ready<()>>::new()).await.is_empty());
    }
}
