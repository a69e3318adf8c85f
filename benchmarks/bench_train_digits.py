"""nnviz vs scikit-learn: train 64-16-16-10 sigmoid on the 8x8 digits, side by side.

Both get the same data (scikit-learn's bundled digits, pixels scaled to 0..1), the same
held-out split (25 %), the same network (two hidden layers of 16 logistic units, softmax
output with cross-entropy), the same optimiser (Adam, lr 0.001, betas 0.9/0.999,
eps 1e-8, mini-batches of 32, reshuffled every epoch, 200 epochs, no L2 penalty, no early
stopping) and the same initialisation scheme (scikit-learn's uniform Glorot for logistic
units; nnviz's own default, Glorot normal, is reported too).

Measured, each over --repeats runs (seeds 0, 1, ...), interleaved so that a busy machine
slows all contenders alike:
  1. wall time of nnviz recording every epoch / scikit-learn      (target <= 1.0x, min)
  2. held-out accuracy, nnviz - scikit-learn, mean over seeds     (target within 1 point)
  3. recording overhead: nnviz recording every epoch / recording only the start and the
     end, minus one                                                (target <= 5 %, min)
  4. the cost of one record's loss and accuracy: nnviz.evaluation (all records after
     training, float32) vs the plain float64 pass per record (net.loss_and_labels)

Run:  .venv/bin/python benchmarks/bench_train_digits.py [--repeats 5] [--epochs 200]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

from nnviz import MLP, train
from nnviz.core import datasets
from nnviz.core.evaluation import evaluate

SIZES = (64, 16, 16, 10)
LR = 0.001
BATCH = 32


def sklearn_init(seed: int) -> MLP:
    """nnviz net initialised like MLPClassifier does for logistic units:
    weights and biases ~ U(-b, b) with b = sqrt(2 / (fan_in + fan_out))."""
    net = MLP(SIZES, activation="sigmoid", output_activation="identity", seed=seed)
    rng = np.random.default_rng(seed)
    W, b = [], []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:], strict=True):
        bound = np.sqrt(2.0 / (n_in + n_out))
        W.append(rng.uniform(-bound, bound, (n_out, n_in)))
        b.append(rng.uniform(-bound, bound, n_out))
    return net.set_weights(W, b)


def run_nnviz(train_set, test_set, seed: int, epochs: int, record: int,
              init: str = "sklearn") -> dict:
    net = sklearn_init(seed) if init == "sklearn" else MLP(SIZES, "sigmoid", "identity", seed=seed)
    # CPU of this thread only: train() runs BLAS single-threaded, and the process clock also
    # counts scikit-learn's BLAS threads, which keep spinning for a while after its fit
    t0, c0 = time.perf_counter(), time.thread_time()
    trace = train(net, train_set, "adam", steps=epochs, record=record, seed=seed, lr=LR,
                  batch_size=BATCH)
    seconds, cpu = time.perf_counter() - t0, time.thread_time() - c0
    return {"seconds": seconds, "cpu": cpu, "test_acc": test_set.accuracy(net),
            "train_acc": train_set.accuracy(net), "records": trace.n_records,
            "loss": trace.final_loss, "trace": trace}


def record_cost(trace, data, repeats: int = 5) -> tuple[float, float]:
    """Seconds per record: the plain float64 pass (one per record, as recording used to
    do) and nnviz.evaluation over all records at once (as train() does now)."""
    from nnviz.core.training import _one_blas_thread

    net, loss = trace.network(), trace.meta["loss"]
    X, Y = data.X, data.targets(net)

    def plain() -> None:
        for i in range(trace.n_records):
            net.set_weights(*trace.record(i)).loss_and_labels(X, Y, loss)

    def batched() -> None:
        evaluate(net, trace.weights, trace.biases, X, Y, data.y, loss)

    best = {}
    with _one_blas_thread():
        for name, f in (("plain", plain), ("batched", batched)):
            times = []
            for _ in range(repeats):
                t0 = time.thread_time()
                f()
                times.append(time.thread_time() - t0)
            best[name] = min(times) / trace.n_records
    return best["plain"], best["batched"]


def run_sklearn(train_set, test_set, seed: int, epochs: int) -> dict:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(
        hidden_layer_sizes=SIZES[1:-1], activation="logistic", solver="adam",
        learning_rate_init=LR, batch_size=BATCH, max_iter=epochs, alpha=0.0, tol=0.0,
        n_iter_no_change=epochs + 1, early_stopping=False, shuffle=True, random_state=seed,
    )
    t0, c0 = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # we ask for exactly N epochs
        clf.fit(train_set.X, train_set.y)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert clf.n_iter_ == epochs, clf.n_iter_
    return {"seconds": seconds, "cpu": cpu, "test_acc": clf.score(test_set.X, test_set.y),
            "train_acc": clf.score(train_set.X, train_set.y), "loss": clf.loss_}


def verdict(ok: bool) -> str:
    return "OK  " if ok else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs per contender (seeds)")
    parser.add_argument("--epochs", type=int, default=200)
    args = parser.parse_args()

    data = datasets.load("digits")
    train_set, test_set = data.split(0.25, seed=0)
    print(f"digits: {train_set.n_samples} training / {test_set.n_samples} held-out images; "
          f"{'-'.join(map(str, SIZES))} sigmoid, softmax CE, Adam lr={LR}, batch {BATCH}, "
          f"{args.epochs} epochs, {args.repeats} repeats\n")
    run_nnviz(train_set, test_set, 99, 2, 1)  # warm-up: imports, threadpoolctl's library scan

    results: dict[str, list[dict]] = {"sklearn": [], "every": [], "end": [], "default": []}
    for seed in range(args.repeats):
        results["sklearn"].append(run_sklearn(train_set, test_set, seed, args.epochs))
        results["every"].append(run_nnviz(train_set, test_set, seed, args.epochs, 1))
        results["end"].append(run_nnviz(train_set, test_set, seed, args.epochs, args.epochs))
        results["default"].append(run_nnviz(train_set, test_set, seed, args.epochs,
                                            args.epochs, init="nnviz"))
        r = {k: v[-1] for k, v in results.items()}
        print(f"  seed {seed}: sklearn {r['sklearn']['seconds']:6.2f} s "
              f"acc {r['sklearn']['test_acc']:.4f} | nnviz every epoch "
              f"{r['every']['seconds']:6.2f} s acc {r['every']['test_acc']:.4f} | "
              f"end only {r['end']['seconds']:6.2f} s", flush=True)

    def best(key: str, clock: str = "seconds") -> float:
        return min(r[clock] for r in results[key])

    def mean(key: str, field: str = "test_acc") -> float:
        return float(np.mean([r[field] for r in results[key]]))

    ratio = best("every") / best("sklearn")
    acc_diff = mean("every") - mean("sklearn")
    overhead = best("every") / best("end") - 1.0
    print("\nwall time (min over repeats)")
    print(f"  scikit-learn MLPClassifier        {best('sklearn'):7.2f} s")
    print(f"  nnviz, record every epoch         {best('every'):7.2f} s "
          f"({results['every'][0]['records']} records)")
    print(f"  nnviz, record start and end only  {best('end'):7.2f} s")
    print("accuracy on the held-out quarter (mean over seeds)")
    print(f"  scikit-learn {mean('sklearn'):.4f}   nnviz {mean('every'):.4f}   "
          f"(nnviz with its own Glorot-normal init: {mean('default'):.4f})")
    print(f"  training accuracy: scikit-learn {mean('sklearn', 'train_acc'):.4f}   "
          f"nnviz {mean('every', 'train_acc'):.4f}")
    cpu_ratio = best("every", "cpu") / best("sklearn", "cpu")
    cpu_overhead = best("every", "cpu") / best("end", "cpu") - 1.0
    print(f"CPU time (min): scikit-learn {best('sklearn', 'cpu'):.2f} s (whole process), "
          f"nnviz every epoch {best('every', 'cpu'):.2f} s, end only {best('end', 'cpu'):.2f} s "
          "(its one thread)")

    print("\nRATIOS                          wall     CPU      target")
    print(f"  {verdict(ratio <= 1.0)} time nnviz/sklearn      {ratio:5.2f}x   {cpu_ratio:5.2f}x   "
          "<= 1.00x")
    print(f"  {verdict(overhead <= 0.05)} recording overhead      {100 * overhead:+5.1f}%  "
          f"{100 * cpu_overhead:+5.1f}%   <= 5 %")
    print(f"  {verdict(abs(acc_diff) <= 0.01)} accuracy nnviz-sklearn  "
          f"{100 * acc_diff:+5.2f} points       within 1 point")
    plain, batched = record_cost(results["every"][0]["trace"], train_set)
    print(f"\nloss and accuracy of one record on the {train_set.n_samples} training images "
          f"(CPU, min): plain float64 pass\n  {1e6 * plain:.0f} us, nnviz.evaluation "
          f"{1e6 * batched:.0f} us ({plain / batched:.1f}x less); one epoch of training "
          f"(wall, min) {1e6 * best('end') / args.epochs:.0f} us")
    print("\n(Each record's loss and accuracy are those of its weights on the whole training "
          "set, computed\n after training for all records at once, in float32. Wall times on "
          "a busy machine are noisy;\n the CPU column is the steadier.)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
