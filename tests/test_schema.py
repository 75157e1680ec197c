from kdd_utils import schema
from kdd_utils.datasets import locate, read_names
import pytest


def test_feature_counts_give_122_inputs():
    assert len(schema.FEATURE_NAMES) == 41 == len(set(schema.FEATURE_NAMES))
    assert len(schema.NUMERIC_FEATURES) == 38
    assert [len(schema.VOCABULARIES[c]) for c in schema.CATEGORICAL_FEATURES] == [3, 70, 11]
    assert schema.N_ENCODED_FEATURES == 122
    assert set(schema.RATE_FEATURES) | set(schema.INTEGER_FEATURES) == set(schema.NUMERIC_FEATURES)


def test_every_attack_has_one_of_the_four_categories():
    assert set(schema.ATTACK_TO_CATEGORY.values()) == set(schema.CATEGORIES)
    assert schema.TRAINING_ATTACKS <= set(schema.ATTACK_TO_CATEGORY)
    for name in ["mscan", "apache2", "snmpgetattack", "processtable", "httptunnel", "worm"]:
        assert schema.category_of(name) in schema.ATTACK_CATEGORIES


@pytest.mark.realdata
def test_schema_matches_kddcup_names(real_data_dir):
    labels, types = read_names(locate("kdd99-names", data_dir=real_data_dir))
    assert tuple(types) == schema.FEATURE_NAMES
    assert set(labels) - {"normal"} == schema.TRAINING_ATTACKS
    symbolic = {f for f, t in types.items() if t == "symbolic"}
    assert set(schema.CATEGORICAL_FEATURES) <= symbolic
