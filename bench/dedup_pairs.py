"""Build bench/data/dedup-pairs.csv, the labelled pairs of `bench/dedup.py`, from the real files
of ../shared/data (CORDIS organisations and participations) and the sample data.

    .venv/bin/python bench/dedup_pairs.py ../shared/data

Groups (column `group`), each pair labelled `same` or `different`:

- sample: organisations of the sample data and CORDIS organisations of the same country with
  alike names, labelled by hand (`SAMPLE_LABELS`): the same body, or a near miss (a
  university's foundation, a spin-off, a subsidiary, a namesake);
- short-name: a CORDIS organisation against the same organisation entered by hand under its
  CORDIS short name (no PIC, no city), for short names of 5+ characters that share a word with
  the legal name or are its initials;
- same-pic: a CORDIS organisation against the placeholder "PIC …" the participations import
  makes for it, with the participations' country (8 PICs disagree on country: same body, but
  not for an automatic merge);
- subsidiary: two CORDIS organisations (two PICs) with the same name once legal forms are set
  aside, in two countries (a company and its foreign subsidiary);
- part-of: two CORDIS organisations (two PICs) of one country where one name is the other's
  plus words that make another body (an institute and its parent, a foundation, a spin-off:
  "SINTEF ENERGI AS" and "STIFTELSEN SINTEF").

Near misses keep the first side's PIC and drop the second's (as if entered by hand), so that
the names, country and city must tell them apart.
"""

import csv
import gzip
import os
import random
import sys
from collections import defaultdict
from pathlib import Path

import django
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterbroker.settings")
django.setup()

from clusterbroker.importers.cordis_organisations import repair_text  # noqa: E402
from clusterbroker.registry.dedup.normalise import (  # noqa: E402
    GENERIC_WORDS,
    LEGAL_FORMS,
    fold,
    normalise,
)

COUNTRY = {"UK": "GB", "EL": "GR"}
KIND = {"PRC": "company", "HES": "university", "REC": "rto", "PUB": "public_body", "OTH": "other"}
FIELDS = ("name", "acronym", "country", "city", "domain", "pic", "kind")

# Sample organisation name -> {CORDIS PIC: label}, read by a person (see the module's text).
SAMPLE_LABELS = {
    "AFIL": {"933772732": "same"},
    "microTEC Südwest": {"997738994": "same"},
    "bwcon": {"937328655": "same"},
    "Eurecat": {"928030235": "same"},
    "Flanders Make": {"996435896": "same", "947950446": "different"},
    "APOLLON SOLAR": {"952613527": "same"},
    "AUDROS TECHNOLOGY": {"971280401": "same"},
    "COSBERG SPA": {"952179258": "same"},
    "EFS- GESELLSCHAFT FÜR HEBE- UND HANDHABUNGSTECHNIK MBH": {"942451419": "same"},
    "Elrest Automationssysteme GmbH": {"986538889": "same"},
    "ETABLISSEMENTS GEORGES PERNOUD": {"932961715": "same", "939890716": "different"},
    "FLEXIS AG": {"991429726": "same"},
    "FONDAZIONE POLITECNICO DI MILANO": {"993176017": "same", "999879881": "different"},
    "GIMAC INTERNATIONAL SRL": {"927922468": "same", "936391053": "different"},
    "HOCHSCHULE AALEN – TECHNIK UND WIRTSCHAFT": {"973276273": "same", "997543927": "different"},
    "HOLONIX SRL-SPIN OFF DEL POLITECNICO DI MILANO": {
        "967204461": "same",
        "999879881": "different",
    },
    "IN-CORE SYSTEMES SARL": {"985049648": "same"},
    "INNOVACIO I RECERCA INDUSTRIAL I SOSTENIBLE SL": {"998993786": "same"},
    "INTERNATIONAL SOLAR ENERGY RESEARCH CENTER KONSTANZ": {"997218492": "same"},
    "KARLSRUHER INSTITUT FUER TECHNOLOGIE": {"999614101": "different"},
    "PILZ INDUSTRIEELEKTRONIK SL": {"989919921": "same"},
    "POLITECNICO DI MILANO": {"999879881": "same", "967204461": "different"},
    "ROBERT BOSCH ESPANA FABRICA CASTELLET SA": {"942707887": "same"},
    "ROBERT BOSCH GMBH": {"999908787": "same", "998562427": "different"},
    "ROMAGNANI STAMPI SRL": {"942565588": "same"},
    "STIFTUNG FZI FORSCHUNGSZENTRUM INFORMATIK AM KARLSRUHER INSTITUT FUR TECHNOLOGIE": {
        "999614101": "same"
    },
    "TEXXMO MOBILE SOLUTION GMBH & CO KG": {"945152481": "same", "994086071": "different"},
    "WE PLUS SRL": {"933951988": "same", "938093209": "different"},
    "Whirlpool Europe srl": {"995987950": "same"},
    "XETICS GMBH": {"952581808": "same", "937736055": "different"},
    "FRAUNHOFER GESELLSCHAFT ZUR FOERDERUNG DER ANGEWANDTEN FORSCHUNG e.V.": {"999984059": "same"},
    "THE UNIVERSITY OF WESTMINSTER LBG": {"999858250": "same", "999842730": "different"},
    "CLESGO UG (haftungsbeschränkt)": {"940654300": "different", "938510794": "different"},
    "CLOUDSME UG": {"919697838": "same"},
    "CLOUDBROKER GMBH": {"972604354": "same"},
    "CLOUDSIGMA AG": {"969018264": "same"},
    "SCALETOOLS AG": {"972494356": "same"},
    "LUNDS UNIVERSITET": {"999901318": "same", "999985029": "different"},
    "STIFTELSEN SINTEF": {"999980761": "same"},
    "SCUOLA UNIVERSITARIA PROFESSIONALE DELLA SVIZZERA ITALIANA": {"999587620": "same"},
    "MAGYAR TUDOMANYOS AKADEMIA SZAMITASTECHNIKAI ES AUTOMATIZALASI KUTATOINTEZET": {
        "999651252": "same",
        "969176665": "different",
    },
    "THE UNIVERSITY OF NOTTINGHAM": {"999976978": "same", "999824494": "different"},
    "ALMA MATER STUDIORUM - UNIVERSITA DI BOLOGNA": {"999993953": "same"},
    "VYSOKA SKOLA BANSKA - TECHNICKA UNIVERZITA OSTRAVA": {"999868144": "same"},
    "INSOMNIA CONSULTING SOCIEDAD LIMITADA": {"952446784": "different", "923785030": "different"},
    "STAM SRL": {"996793923": "different"},
    "DEUTSCHES FORSCHUNGSZENTRUM FÜR KUNSTLICHE INTELLIGENZ GMBH": {
        "999607602": "same",
        "999798983": "different",
    },
    "LINZ CENTER OF MECHATRONICS GMBH": {"996537940": "same"},
    "HANNING ELEKTRO-WERKE GMBH & CO.KG": {"994086071": "different", "966570469": "different"},
    "CATMARINE SRL": {"917772194": "same"},
    "CENTRO DI RICERCHE EUROPEO DI TECNOLOGIE DESIGN E MATERIALI": {"999500223": "same"},
    "SKA POLSKA SP (ZOO)": {"998941503": "same", "935355675": "different"},
    "PRIVREDNO DRUSTVO ZA PRUZANJE USLUGA ISTRAZIVANJE I RAZVOJ NISSATECH INNOVATION CENTRE DOO": {
        "965052225": "same"
    },
    "ENDEF ENGINEERING SL": {"949722927": "same", "953721946": "different"},
    "BAKONY ELEKTRONIKA VILLAMOSIPARI GYARTO, SZOLGALTATO KORLATOLT FELELOSSEGU TARSASAG": {
        "938876096": "different",
        "947625690": "different",
    },
    "COOPERLAT SOCIETA COOPERATIVA AGRICOLA": {"986358566": "different", "938062363": "different"},
    "MACHINEERING GMBH & CO KG": {"994086071": "different"},
    "SINTEF AS": {"999513221": "different", "996761913": "different"},
    "i-Deal S.R.L.": {"951359123": "same", "999752714": "different"},
    "RWTH Aachen University": {"999983962": "same"},
}


def cordis_record(row: dict, pic: bool = True) -> dict:
    return {
        "name": row["name"],
        "acronym": row["short_name"] if row["short_name"] != row["name"] else "",
        "country": COUNTRY.get(row["country"], row["country"]),
        "city": row["city"],
        "domain": "",
        "pic": row["pic"] if pic else "",
        "kind": KIND.get(row["activity_type"], "other"),
    }


def sample_organisations() -> list[dict]:
    found = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if {"name", "country", "kind"} <= set(node):
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted((ROOT / "src/clusterbroker/registry/sample_data").glob("*.yaml")):
        walk(yaml.safe_load(path.read_text()))
    return found


def sample_pairs(by_pic: dict[str, dict]) -> list[tuple]:
    pairs = []
    seen = set()
    for organisation in sample_organisations():
        for pic, label in SAMPLE_LABELS.get(organisation["name"], {}).items():
            if (organisation["name"], pic) in seen:  # an organisation of two sample files
                continue
            seen.add((organisation["name"], pic))
            mine = {
                "name": organisation["name"],
                "acronym": organisation.get("acronym", ""),
                "country": organisation["country"],
                "city": organisation.get("city", ""),
                "domain": "",
                "pic": "",
                "kind": organisation["kind"],
            }
            pairs.append(("sample", label, mine, cordis_record(by_pic[pic])))
    return pairs


def short_name_pairs(rows: list[dict], rng: random.Random, count: int) -> list[tuple]:
    eligible = []
    for row in rows:
        short = row["short_name"]
        if len(short) < 5 or fold(short) == fold(row["name"]):
            continue
        name, short_form = normalise(row["name"]), normalise(short)
        shares = set(name.tokens) & set(short_form.tokens)
        initials = len(short_form.tokens) == 1 and short_form.tokens[0] in name.initials
        if shares or initials:
            eligible.append(row)
    pairs = []
    for row in rng.sample(eligible, count):
        hand = {"name": row["short_name"], "acronym": "", "city": "", "domain": "", "pic": ""}
        hand.update(country=cordis_record(row)["country"], kind=cordis_record(row)["kind"])
        pairs.append(("short-name", "same", cordis_record(row), hand))
    return pairs


def same_pic_pairs(rows, participations: Path, rng: random.Random, count: int) -> list[tuple]:
    countries: dict[str, str] = {}
    with gzip.open(participations, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            countries.setdefault(row["pic"], COUNTRY.get(row["country"], row["country"]))
    by_pic = {row["pic"]: row for row in rows}
    known = [pic for pic in sorted(countries) if pic in by_pic]
    disagree = [p for p in known if countries[p] != cordis_record(by_pic[p])["country"]]
    agree = rng.sample([p for p in known if p not in disagree], count)
    pairs = []
    for pic in disagree + agree:
        placeholder = {"name": "", "acronym": "", "city": "", "domain": "", "kind": ""}
        placeholder.update(country=countries[pic], pic=pic)
        pairs.append(("same-pic", "same", cordis_record(by_pic[pic]), placeholder))
    return pairs


def subsidiary_pairs(rows, rng: random.Random, count: int) -> list[tuple]:
    by_key = defaultdict(list)
    for row in rows:
        key = normalise(row["name"]).key
        if len(key) >= 6:
            by_key[key].append(row)
    pairs = []
    for key in sorted(by_key):
        group = by_key[key]
        countries = {cordis_record(r)["country"] for r in group}
        if len(countries) > 1:
            first = group[0]
            other = next(r for r in group if r["country"] != first["country"])
            pairs.append(
                ("subsidiary", "different", cordis_record(first), cordis_record(other, False))
            )
    return rng.sample(pairs, min(count, len(pairs)))


def part_of_pairs(rows, rng: random.Random, count: int) -> list[tuple]:
    by_word = defaultdict(list)
    names = {}
    for row in rows:
        name = normalise(row["name"])
        names[row["pic"]] = name
        for token in set(name.tokens):
            if len(token) >= 4 and token not in GENERIC_WORDS:
                by_word[(row["country"], token)].append(row)
    pairs = []
    seen = set()
    for (_country, _token), group in sorted(by_word.items()):
        if len(group) > 30:
            continue
        for small in group:
            small_tokens = set(names[small["pic"]].tokens)
            for large in group:
                if large is small or (small["pic"], large["pic"]) in seen:
                    continue
                extra = set(names[large["pic"]].tokens) - small_tokens
                if not small_tokens < set(names[large["pic"]].tokens):
                    continue
                if not extra - GENERIC_WORDS - LEGAL_FORMS:
                    continue
                seen.add((small["pic"], large["pic"]))
                pairs.append(
                    ("part-of", "different", cordis_record(small), cordis_record(large, False))
                )
    return rng.sample(pairs, min(count, len(pairs)))


def main(data: Path) -> None:
    rng = random.Random(20261202)
    with gzip.open(data / "cordis-h2020-organisations/organisations.csv.gz", "rt") as handle:
        rows = [
            {key: repair_text(value) for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]
    by_pic = {row["pic"]: row for row in rows}
    pairs = (
        sample_pairs(by_pic)
        + short_name_pairs(rows, rng, 80)
        + same_pic_pairs(rows, data / "cordis-h2020-participations/participations.csv.gz", rng, 22)
        + subsidiary_pairs(rows, rng, 40)
        + part_of_pairs(rows, rng, 40)
    )
    out = ROOT / "bench/data/dedup-pairs.csv"
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["group", "label"] + [f"a_{f}" for f in FIELDS] + [f"b_{f}" for f in FIELDS]
        )
        for group, label, a, b in pairs:
            writer.writerow([group, label] + [a[f] for f in FIELDS] + [b[f] for f in FIELDS])
    print(f"{len(pairs)} pairs written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared/data"))
