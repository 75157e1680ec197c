"""Tables the book shows across runs, generated from the results files (never typed).

`headline_markdown` is the landing page's table of the LSTMs; `duplicates_markdown` measures
the KDD Cup 99 duplicates effect from the runs that show it; `versus_published` places a
model's scores (mean ± std over seeds) beside the published numbers of `kdd_utils.published`,
for one run (06_lstm_search) or for every run (`published_markdown`, landing page).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .evaluation import aggregate
from .published import published

#: The models of the landing page's table, with the name shown there.
HEADLINE_MODELS: dict[str, str] = {"LSTM": "LSTM (paper)", "LSTM (searched)": "LSTM (searched)"}

def is_detector(model: str) -> bool:
    """Whether a results row is one of the study's neural detectors (the landing page's table),
    not a baseline or a constant predictor. Baselines trained in the future-work notebook carry
    a suffix after their name."""
    from .baselines import BASELINES

    return not model.startswith("always") and model.split(",")[0] not in BASELINES


#: How the evaluation sets are named in the book's tables.
SET_NAMES: dict[str, str] = {"holdout": "held-out", "holdout-unseen": "held-out, unseen"}

_SHORT = {"accuracy": "acc.", "detection_rate": "DR", "false_alarm_rate": "FAR", "precision": "prec.",
          "f1": "F1", "roc_auc": "AUC", "cost_per_example": "cost"}


def _mean_std(mean: pd.Series, std: pd.Series, digits: int = 3) -> list[str]:
    return ["" if pd.isna(a) else f"{a:.{digits}f}" + ("" if pd.isna(b) else f" ± {b:.{digits}f}")
            for a, b in zip(mean, std)]


def _winner_cost() -> float:
    rows = published("kdd99", "multiclass")
    return float(rows.loc[rows["metric"] == "cost per example", "value"].iloc[0])


def headline_markdown(table: pd.DataFrame) -> str:
    """The landing page's results table: the LSTMs of every run, mean ± std over seeds.

    Parameters
    ----------
    table : pandas.DataFrame
        The profile's ``results.csv`` (`kdd_utils.runner.collect_results`).
    """
    if table.empty:
        return "*No results yet: run the study first.*\n"
    lstm = table[table["model"].map(is_detector)].copy()
    sets = ["holdout", "holdout-unseen", *(s for s in dict.fromkeys(lstm["set"]) if not s.startswith("holdout"))]
    sets = list(dict.fromkeys(sets))
    lstm["_run"] = pd.Categorical(lstm["run"], categories=list(dict.fromkeys(lstm["run"])), ordered=True)
    lstm["_set"] = lstm["set"].map(sets.index)  # held-out, held-out unseen, then the test sets
    lstm["_model"] = lstm["model"].map(list(dict.fromkeys(lstm["model"])).index)
    lstm = lstm.sort_values(["_run", "_set", "_model"], kind="stable")
    metrics = [m for m in _SHORT if m in lstm and lstm[m].notna().any()]
    agg = aggregate(lstm, by=("run", "set", "model"), metrics=metrics)
    baseline = table[table["model"] == "always attack"].groupby(["run", "set"])["accuracy"].mean()
    cells = {"run": agg["run"], "set": agg["set"].replace(SET_NAMES),
             "model": agg["model"].map(lambda m: HEADLINE_MODELS.get(m, m)), "seeds": agg["n_seeds"]}
    for m in metrics:
        cells[_SHORT[m]] = _mean_std(agg[f"{m}_mean"], agg[f"{m}_std"])
        if m == "accuracy":
            cells["always-attack acc."] = [f"{baseline[(r, s)]:.3f}" if (r, s) in baseline else ""
                                           for r, s in zip(agg["run"], agg["set"])]
    titles = "; ".join(f"`{r}`: {t}" for r, t in dict(zip(lstm["run"], lstm["title"])).items())
    return (pd.DataFrame(cells).to_markdown(index=False, disable_numparse=True) + "\n\n"
            f"Runs: {titles}. Each number is the mean ± standard deviation over the training seeds "
            "(column *seeds*). *LSTM (paper)*: the paper's configuration (03_lstm_training, threshold "
            "0.5); *LSTM (searched)*: the configuration chosen on validation data by 06_lstm_search, "
            "with its threshold tuned on validation data; the other models come from 07_future_work "
            "(threshold 0.5; *windows:* sets are the sequence-mode parts). "
            "*held-out*: the 10 % test part of the random split; *held-out, unseen*: "
            "its records that have no exact copy in the training part; acc.: accuracy (attack or "
            "not); always-attack acc.: accuracy of a detector that flags every record; DR: detection "
            "rate (recall on attacks); FAR: false-alarm rate; prec.: precision; AUC: ROC-AUC of the "
            "attack score; cost: KDD Cup 99 cost per record of the 5-class predictions (the contest "
            f"winner scored {_winner_cost():.4f} on `kdd99-corrected` {{cite}}`elkan2000results`).\n")


def duplicates_markdown(table: pd.DataFrame, model: str = "LSTM") -> str:
    """The KDD Cup 99 duplicates effect, measured: accuracy of ``model`` (mean ± std over
    seeds) on the random split as it is, on its held-out records without a copy in training,
    after removing duplicates before the split, and on ``corrected``.

    Needs the binary KDD Cup 99 runs with and without ``drop_duplicates``; returns a short
    note when the profile has not run them.
    """
    need = {"dataset", "task", "drop_duplicates"}
    if table.empty or not need <= set(table.columns):
        return "*The profile has no binary KDD Cup 99 runs with and without duplicates.*\n"
    kdd = table[(table["dataset"] == "kdd99") & (table["task"] == "binary") & (table["model"] == model)]
    dedup = kdd["drop_duplicates"].astype(str).str.lower() == "true"
    cases = [("random split, as the paper (held-out 10 %)", kdd[~dedup], "holdout"),
             ("the same held-out records without an exact copy in training", kdd[~dedup], "holdout-unseen"),
             ("random split after removing duplicates from the file", kdd[dedup], "holdout"),
             ("`corrected`, trained with duplicates", kdd[~dedup], "kdd99-corrected"),
             ("`corrected`, trained without duplicates", kdd[dedup], "kdd99-corrected")]
    lines = []
    for label, rows, set_name in cases:
        rows = rows[rows["set"] == set_name]
        if rows.empty:
            continue
        row = {"evaluated on": label, "records": f"{int(rows['n'].iloc[0]):,}", "seeds": rows["seed"].nunique()}
        for m in ("accuracy", "detection_rate", "false_alarm_rate", "f1"):
            row[_SHORT[m]] = _mean_std(pd.Series([rows[m].mean()]), pd.Series([rows[m].std()]), 4)[0]
        lines.append(row)
    if len(lines) < 2 or dedup.sum() == 0 or (~dedup).sum() == 0:
        return "*The profile has no binary KDD Cup 99 runs with and without duplicates.*\n"
    return pd.DataFrame(lines).to_markdown(index=False, disable_numparse=True) + "\n"


def versus_published(rows: pd.DataFrame, dataset: str, task: str, *, model: str) -> pd.DataFrame:
    """``model``'s scores beside every published number of the same dataset, task and set.

    Parameters
    ----------
    rows : pandas.DataFrame
        Evaluation rows (``set``, ``model``, metrics; one per seed) of one run.
    dataset, task : str
        The run's dataset and task; published numbers of other settings are left out.
    model : str
        The model of ``rows`` to compare.

    Returns
    -------
    pandas.DataFrame
        One row per published number: ``source``, ``cite``, ``their model``, ``set``,
        ``metric``, ``published``, ``ours`` (mean), ``ours_std``, ``seeds``, ``reached`` and
        ``margin`` (how much better ours is; negative when not reached). Accuracy of the 5-class
        task is the 5-class accuracy; for the cost per example, lower is better. The paper's
        "random split" is this study's held-out part.
    """
    theirs = published(dataset, task)
    theirs = theirs.assign(set=theirs["set"].replace({"random split": "holdout"}))
    ours = rows[rows["model"] == model]
    out = []
    for row in theirs.itertuples():
        metric = {"accuracy": "accuracy_5class" if task == "multiclass" else "accuracy",
                  "cost per example": "cost_per_example"}[row.metric]
        values = ours.loc[ours["set"] == row.set, metric] if metric in ours else pd.Series(dtype=float)
        if values.dropna().empty:
            continue
        mean = float(values.mean())
        margin = row.value - mean if metric == "cost_per_example" else mean - row.value
        label = f"{row.metric} (5 classes)" if metric == "accuracy_5class" else row.metric
        out.append({"source": row.source, "cite": row.cite, "their model": row.model, "set": row.set,
                    "metric": label, "published": row.value, "ours": mean,
                    "ours_std": float(values.std()) if len(values) > 1 else np.nan, "seeds": len(values),
                    "reached": margin >= 0, "margin": margin})
    columns = ["source", "cite", "their model", "set", "metric", "published", "ours", "ours_std", "seeds",
               "reached", "margin"]
    return pd.DataFrame(out, columns=columns)


def versus_published_markdown(frame: pd.DataFrame, ours: str = "ours") -> str:
    """`versus_published` as a Markdown table with citations, saying whether and by how much
    each published number was reached."""
    if frame.empty:
        return "*No published number matches this dataset, task and these evaluation sets.*\n"
    shown = pd.DataFrame({
        "published": [f"{s} {{cite}}`{c}`" for s, c in zip(frame["source"], frame["cite"])],
        "their model": frame["their model"],
        "set": [f"`{s}`" for s in frame["set"]],
        "metric": frame["metric"],
        "their value": frame["published"].map("{:.4f}".format),
        f"{ours} (mean ± std)": _mean_std(frame["ours"], frame["ours_std"], 4),
        "aim": [("reached, ahead by " if r else "not reached, behind by ") + f"{abs(m):.4f}"
                for r, m in zip(frame["reached"], frame["margin"])],
    })
    if "run" in frame:
        shown.insert(0, "run", [f"`{r}`" for r in frame["run"]])
    return shown.to_markdown(index=False, disable_numparse=True) + "\n"


def published_markdown(table: pd.DataFrame) -> str:
    """The landing page's comparison with published results: for every run, its best LSTM
    (the searched one where 06_lstm_search ran, else the paper's) beside the published numbers
    of the run's dataset and task."""
    if table.empty:
        return "*No results yet: run the study first.*\n"
    frames = []
    for run, rows in table.groupby("run", sort=False):
        if "drop_duplicates" in rows and rows["drop_duplicates"].astype(str).str.lower().eq("true").any():
            continue  # published numbers were measured on the files as they are
        model = "LSTM (searched)" if (rows["model"] == "LSTM (searched)").any() else "LSTM"
        found = versus_published(rows, rows["dataset"].iloc[0], rows["task"].iloc[0], model=model)
        frames.append(found.assign(run=run, model=HEADLINE_MODELS[model]))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if frame.empty:
        return "*No published number matches the runs of this profile.*\n"
    text = versus_published_markdown(frame.assign(**{"their model": frame["their model"] + " vs. "
                                                     + frame["model"]}), ours="this study")
    return text + ("\nOurs: the run's searched LSTM where its profile ran 06_lstm_search, else the paper's "
                   "configuration; mean ± std over seeds. The published models used other methods and, "
                   "for the reproduced paper, an unknown split and number of runs, so this places the "
                   "numbers side by side rather than ranking the methods.\n")
