"""Figures of the study. Each function draws one figure and returns it."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from sklearn.metrics import roc_curve


def plot_history(history: pd.DataFrame, title: str = "LSTM training"):
    """The paper's Figure 1: train accuracy red, validation accuracy blue, train loss green,
    validation loss black, per epoch."""
    fig, (ax_acc, ax_loss) = plt.subplots(1, 2, figsize=(10, 3.8))
    epochs = history["epoch"]
    ax_acc.plot(epochs, history["accuracy"], color="red", marker="o", label="train accuracy")
    ax_acc.plot(epochs, history["val_accuracy"], color="blue", marker="o", label="validation accuracy")
    ax_loss.plot(epochs, history["loss"], color="green", marker="o", label="train loss")
    ax_loss.plot(epochs, history["val_loss"], color="black", marker="o", label="validation loss")
    for ax, name in ((ax_acc, "accuracy"), (ax_loss, "cross-entropy loss")):
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.legend()
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_counts(counts: pd.DataFrame, x: str, y: str, hue: str | None = None, *, title: str = "",
                log: bool = True):
    """Horizontal bar chart of counts, on a log axis when they span orders of magnitude."""
    n_bars = counts[y].nunique()
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.28 * n_bars + 1)))
    sns.barplot(data=counts, x=x, y=y, hue=hue, ax=ax, orient="h")
    if log:
        ax.set_xscale("log")
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_feature_distributions(frame: pd.DataFrame, features: list[str], *, by: str = "is_attack",
                               sample: int = 20_000, random_state: int = 0):
    """Distributions of numeric features for normal vs attack records (log1p axis)."""
    data = frame.sample(min(sample, len(frame)), random_state=random_state)
    cols = 3
    rows = int(np.ceil(len(features) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(11, 2.6 * rows))
    for ax, feature in zip(np.ravel(axes), features):
        values = np.log1p(data[feature].astype(float))
        for group, color in ((False, "tab:blue"), (True, "tab:red")):
            part = values[data[by] == group]
            if len(part):
                ax.hist(part, bins=30, alpha=0.55, color=color, density=True,
                        label="attack" if group else "normal")
        ax.set_title(feature, fontsize=9)
        ax.set_xlabel("log(1 + value)", fontsize=8)
    for ax in np.ravel(axes)[len(features):]:
        ax.set_visible(False)
    np.ravel(axes)[0].legend()
    fig.tight_layout()
    return fig


def plot_confusions(cms: dict[str, pd.DataFrame]):
    """Confusion matrices side by side (from `kdd_utils.evaluation.confusion`), coloured by
    the share of each true class, with the counts written in the cells."""
    k = len(next(iter(cms.values())))
    fig, axes = plt.subplots(1, len(cms), figsize=((1.0 * k + 2.2) * len(cms), 0.9 * k + 2))
    for ax, (title, cm) in zip(np.atleast_1d(axes), cms.items()):
        share = cm.div(cm.sum(axis=1).replace(0, 1), axis=0)
        sns.heatmap(share, annot=cm.to_numpy(), fmt="d", cmap="Blues", vmin=0, vmax=1, cbar=False, ax=ax)
        ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_roc(curves: dict[str, tuple[np.ndarray, np.ndarray]], title: str = "ROC curves"):
    """ROC curves of attack scores; ``curves`` maps a legend name to ``(is_attack, score)``."""
    fig, ax = plt.subplots(figsize=(5.5, 5))
    for name, (truth, score) in curves.items():
        if len(np.unique(truth)) < 2:
            continue
        fpr, tpr, _ = roc_curve(truth, score)
        ax.plot(fpr, tpr, label=name)
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="chance")
    ax.set_xlabel("false-alarm rate")
    ax.set_ylabel("detection rate")
    ax.set_title(title)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_grouped_bars(table: pd.DataFrame, x: str, y: str, hue: str, *, col: str | None = None,
                      title: str = "", ylabel: str = "", ylim: tuple[float, float] | None = (0, 1)):
    """Grouped bars, e.g. detection rate per attack category for each model or set; with
    ``col``, one panel per value of that column. With several rows per bar (seeds), the bar is
    their mean and the whisker their standard deviation."""
    panels = list(dict.fromkeys(table[col])) if col else [None]
    width = min(5 * len(panels), 14) + 1.5 if col else 9
    fig, axes = plt.subplots(1, len(panels), figsize=(width, 3.8), squeeze=False, sharey=True)
    for ax, panel in zip(axes[0], panels):
        data = table if panel is None else table[table[col] == panel]
        sns.barplot(data=data, x=x, y=y, hue=hue, ax=ax, errorbar="sd")  # bars: mean; whiskers: std over seeds
        if ylim:
            ax.set_ylim(*ylim)
        ax.set_ylabel(ylabel or y)
        ax.set_title(title if panel is None else f"{title} {panel}".strip())
        ax.grid(axis="y", alpha=0.3)
        ax.get_legend().remove()
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, title=hue, fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    return fig


def plot_spread(table: pd.DataFrame, x: str, y: str, *, col: str, title: str = "", ylabel: str = ""):
    """One dot per seed and a bar for the mean: how much a metric moves between seeds, per
    model (``x``) and evaluation set (one panel per value of ``col``)."""
    panels = list(dict.fromkeys(table[col]))
    fig, axes = plt.subplots(1, len(panels), figsize=(min(4.2 * len(panels), 15) + 1, 4.2), squeeze=False,
                             sharey=True)
    order = list(dict.fromkeys(table[x]))
    for ax, panel in zip(axes[0], panels):
        data = table[table[col] == panel]
        sns.stripplot(data=data, x=x, y=y, order=order, ax=ax, size=5, alpha=0.8, jitter=0.15, color="C0")
        means = data.groupby(x, sort=False)[y].mean().reindex(order)
        ax.scatter(range(len(order)), means, marker="_", s=600, color="black", zorder=3, label="mean")
        ax.set_title(f"{title} {panel}".strip())
        ax.set_xlabel("")
        ax.set_ylabel(ylabel or y)
        ax.tick_params(axis="x", rotation=35)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
        ax.grid(axis="y", alpha=0.3)
    axes[0][0].legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig


def plot_search(trials: pd.DataFrame, *, best: int, title: str = "LSTM search"):
    """Validation loss of each trial of the search (log scale), the selected one marked."""
    fig, ax = plt.subplots(figsize=(8, 3.6))
    colors = ["C3" if i == best else "C0" for i in range(len(trials))]
    ax.bar(range(len(trials)), trials["val_loss"].replace(np.inf, np.nan), color=colors)
    ax.set_yscale("log")
    ax.set_xticks(range(len(trials)))
    ax.set_xlabel("trial (0 = the paper's configuration; red = selected)")
    ax.set_ylabel("validation loss (log scale)")
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_efficiency(table: pd.DataFrame, *, quality: str = "f1", cost: str = "infer_records_per_s_batch4096",
                    title: str = "Detection quality against inference cost"):
    """One point per model: ``quality`` (mean over seeds, whisker: std) against inference
    throughput (log scale); each label gives the latency of one record and the parameters."""
    fig, ax = plt.subplots(figsize=(8, 4.4))
    for i, row in enumerate(table.itertuples()):
        x, y = getattr(row, cost), getattr(row, f"{quality}_mean")
        err = getattr(row, f"{quality}_std")
        ax.errorbar(x, y, yerr=0 if pd.isna(err) else err, fmt="o", color=f"C{i}", capsize=3)
        params = "" if pd.isna(row.parameters) else f", {int(row.parameters):,} params"
        ax.annotate(f"{row.model}\n{row.latency_ms:.2f} ms/record{params}", (x, y), textcoords="offset points",
                    xytext=(6, 4), fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("inference throughput at batch 4096 (records/s, log scale)" if cost.endswith("4096") else cost)
    ax.set_ylabel(f"{quality} (mean ± std over seeds)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.margins(x=0.35, y=0.15)
    fig.tight_layout()
    return fig
