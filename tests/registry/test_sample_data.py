"""The sample data reproduces the seed documents' facts."""

import re
from pathlib import Path

import pytest

from clusterbroker.registry.models import Label, Organisation, Partnership, Project
from clusterbroker.registry.sample_data import load_sample_data, read_sample_data

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

# Seed 001, "EFFRA's Domains Mapping", transcribed: the domains each cluster is marked in.
EFFRA_MATRIX = {
    "minalogic": {"D2", "D3", "D4", "D5"},
    "viameca": {"D1", "D2", "D3", "D5", "D6"},
    "plastipolis": {"D1", "D2", "D6"},
    "afil": {"D1", "D2", "D3"},
    "eurecat": {"D1", "D2", "D3", "D4", "D5", "D6"},
    "cep": {"D1", "D2", "D3", "D6"},
    "digital-cluster-catalunya": {"D1", "D2", "D3", "D6"},
    "flanders-make": {"D1", "D2", "D3", "D5"},
    "microtec-sudwest": {"D1", "D2", "D3"},
    "bwcon": {"D1", "D2", "D3", "D6"},
    "cluj-it-cluster": {"D3"},
    "poolnet": {"D1", "D2", "D3", "D5"},
}
DOMAINS = ["D1", "D2", "D3", "D4", "D5", "D6"]


@pytest.fixture
def sample(db):
    load_sample_data()


def test_transcribed_matrix_agrees_with_the_seed_text():
    seed = SEEDS / "001_6cb3b9b9629c4bea.txt"
    if not seed.exists():
        pytest.skip("the seed documents are not beside the repository")
    lines = seed.read_text(encoding="utf-8").splitlines()
    start = lines.index("EFFRA's Domains Mapping")
    header = next(line for line in lines[start + 1 :] if line.strip())
    columns = header.split("\t")[1:]
    assert len(columns) == 12
    order = list(EFFRA_MATRIX)  # the same order as the seed's columns
    rows = [line for line in lines[start:] if re.match(r"D[1-6] ", line)][:6]
    for domain, row in zip(DOMAINS, rows, strict=True):
        cells = row.split("\t")[1:]
        marked = {order[i] for i, cell in enumerate(cells) if cell.strip()}
        assert marked == {k for k, v in EFFRA_MATRIX.items() if domain in v}, domain


def test_four_motors_has_twelve_clusters_in_seven_regions(sample):
    partnership = Partnership.objects.get(slug="four-motors")
    members = {m.organisation.slug for m in partnership.memberships.all()}
    assert members == set(EFFRA_MATRIX)
    assert partnership.regions.count() == 7
    for organisation in Organisation.objects.filter(slug__in=members):
        assert organisation.country and organisation.region is not None, organisation


def test_partnership_page_reproduces_the_effra_matrix_cell_by_cell(sample, client):
    body = client.get("/partnerships/four-motors/").content.decode()
    rows = re.findall(r'<tr data-organisation="([^"]+)">(.*?)</tr>', body, re.S)
    assert {slug for slug, _ in rows} == set(EFFRA_MATRIX)
    for slug, row in rows:
        levels = re.findall(r'data-level="([^"]*)"', row)
        assert len(levels) == 6
        marked = {DOMAINS[i] for i, level in enumerate(levels) if level}
        assert marked == EFFRA_MATRIX[slug], slug


def test_api_reproduces_the_effra_matrix_cell_by_cell(sample, client):
    data = client.get("/api/partnerships/four-motors/matrix?taxonomy=effra").json()
    assert [c["code"] for c in data["columns"]] == DOMAINS
    assert {row["organisation"] for row in data["rows"]} == set(EFFRA_MATRIX)
    for row in data["rows"]:
        marked = {code for code, level in row["levels"].items() if level}
        assert marked == EFFRA_MATRIX[row["organisation"]], row["organisation"]


def test_cloudifacturing_consortium_has_34_partners(sample):
    partnership = Partnership.objects.get(slug="cloudifacturing")
    assert partnership.memberships.count() == 34
    assert all(m.organisation.country for m in partnership.memberships.all())


def test_other_seed_partnerships_and_labels_are_loaded(sample):
    assert Partnership.objects.filter(slug="digital-industry-alliance").exists()
    clusme = Partnership.objects.get(slug="clusme")
    assert clusme.kind == "meta_cluster"
    assert clusme.children.exists()
    assert Label.objects.filter(label="I4MS-SAE").exists()


def test_past_fof_projects_are_loaded_with_partners(sample):
    fof = Project.objects.filter(topic_code__istartswith="FoF")
    assert fof.exists()
    assert all(p.participations.exists() for p in fof)


def test_loading_twice_changes_nothing(sample):
    before = {
        model.__name__: model.objects.count()
        for model in (Organisation, Partnership, Project, Label)
    }
    load_sample_data()
    after = {
        model.__name__: model.objects.count()
        for model in (Organisation, Partnership, Project, Label)
    }
    assert after == before


def test_sample_files_have_no_dangling_reference():
    data = read_sample_data()
    assert len(data.organisations) > 50


def test_conflicting_organisation_fields_name_both_files(tmp_path):
    from clusterbroker.registry.sample_data import SampleDataError

    (tmp_path / "a.yaml").write_text(
        "organisations:\n- {key: x, name: X, kind: cluster, country: FR}\n"
    )
    (tmp_path / "b.yaml").write_text(
        "organisations:\n- {key: x, name: X, kind: cluster, country: DE}\n"
    )
    with pytest.raises(SampleDataError, match=r"'country' is 'FR' in a.yaml but 'DE' in b.yaml"):
        read_sample_data(tmp_path)


def test_unknown_reference_is_refused_before_anything_is_written(tmp_path):
    from clusterbroker.registry.sample_data import SampleDataError

    (tmp_path / "a.yaml").write_text(
        "partnerships:\n- {key: p, name: P, kind: alliance, members: [{organisation: ghost}]}\n"
    )
    with pytest.raises(SampleDataError, match="unknown organisation 'ghost'"):
        load_sample_data(tmp_path)
    assert not Partnership.objects.exists()


def test_invalid_yaml_names_the_file(tmp_path):
    from clusterbroker.registry.sample_data import SampleDataError

    (tmp_path / "broken.yaml").write_text("organisations:\n  - key: x\n   name: [\n")
    with pytest.raises(SampleDataError, match="broken.yaml: not valid YAML"):
        read_sample_data(tmp_path)
