"""Relevance benchmark: do the providers ranked for a need offer what was asked?

    .venv/bin/python bench/relevance.py                       # 300 needs, 35,000 organisations
    .venv/bin/python bench/relevance.py --needs 500 --organisations 0 --encoder hashing
    .venv/bin/python bench/relevance.py --needs 100 --organisations 0 --language all

The registry of the benchmark is built from the real files, as `clusterbroker import
dih-catalogue` and the CORDIS import load them: the 701 hubs of the JRC catalogue (kind
"dih", country, description, sectors served as `dih-sectors` terms, read with the importer's
own reader and mapping) and the CORDIS H2020 organisations with their participations (kind
from the CORDIS type, country, activity per programme part, the co-participation network).
`--organisations N` pads the registry to N organisations with copies of CORDIS organisations
(no terms, no text, their own ties), so that latency is measured at the size asked for.

Needs (`--needs`, fixed `--seed`) are generated from the data: a hub drawn at random gives
a sector it serves (the requested term) and, when its description names a technology of
`TECHNOLOGIES`, that technology in a short text ("We look for robotics support for ...");
the asker is a CORDIS organisation drawn at random among those with partners, with its
country; one need in two asks for local help. A result "offers what was asked" when it
serves the requested sector and, when a technology was asked, its description names it
(the same lexicon). Printed, for the engine and two baselines ranked in the same run over
the same providers (hubs, universities, research organisations; BM25 on the texts only;
the requested terms only, ties by activity):

    name precision@10=… partners@10=… same-country@10(local)=… p50=… ms p95=… ms

precision@10 divides by min(10, relevant providers that exist); partners@10 is the share
of the asker's past partners in the top 10; same-country@10 is measured on the local needs
whose country has at least five relevant providers. The engine line is the default of pages
and API (new partners only); "engine, partners included" and "previous engine
(network-first)" show what relevance first changes.

`--language fr,de` (or `all`) writes the same needs in those languages (`WRITTEN`,
`TECHNOLOGY_NAMES`; the sector stays the catalogue's English label), with the need's
language set, and prints each language's figures, then precision@10 per language. The hubs'
records carry the language detected from their description, as the registry stores it.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
CORDIS_KINDS = {
    "HES": "university",
    "REC": "rto",
    "PRC": "company",
    "PUB": "public",
    "OTH": "other",
}
PROVIDER_KINDS = ("dih", "rto", "cluster", "university")

# Technology → how a description names it (lower case, matched as substrings of words).
TECHNOLOGIES: dict[str, tuple[str, ...]] = {
    "robotics": ("robot", "cobot"),
    "artificial intelligence": ("artificial intelligence", "machine learning", "deep learning"),
    "high-performance computing": ("hpc", "high performance computing", "supercomput"),
    "cybersecurity": ("cybersecurity", "cyber security", "cyber-security"),
    "additive manufacturing": ("additive manufacturing", "3d print", "3d-print"),
    "internet of things": ("internet of things", "iot"),
    "big data analytics": ("big data", "data analytics"),
    "cloud computing": ("cloud",),
    "blockchain": ("blockchain",),
    "simulation and digital twins": ("simulation", "digital twin"),
    "photonics and lasers": ("photonic", "laser"),
    "virtual and augmented reality": ("augmented reality", "virtual reality"),
}
TEMPLATES = (
    "We look for {tech} support for our work in {sector}.",
    "Help needed to introduce {tech} in {sector}.",
    "A partner with experience of {tech} for {sector} companies.",
)
NO_TECHNOLOGY = "Support for digital innovation in {sector}."
# The same needs written in the platform's other languages (`--language`): the templates
# above as a professional of each language would write them, and the technologies'
# names in that language. The sector stays the catalogue's (English) label.
WRITTEN: dict[str, tuple[tuple[str, str, str], str]] = {
    "fr": (
        (
            "Nous cherchons un accompagnement en {tech} pour notre activité dans le "
            "secteur {sector}.",
            "Nous avons besoin d'aide pour déployer des projets en {tech} dans le "
            "secteur {sector}.",
            "Un partenaire ayant une expérience en {tech} pour les entreprises du "
            "secteur {sector}.",
        ),
        "Accompagnement à l'innovation numérique dans le secteur {sector}.",
    ),
    "de": (
        (
            "Wir suchen Unterstützung im Bereich {tech} für unsere Tätigkeit in der "
            "Branche {sector}.",
            "Wir brauchen Hilfe bei der Einführung von Lösungen im Bereich {tech} in der "
            "Branche {sector}.",
            "Ein Partner mit Erfahrung im Bereich {tech} für Unternehmen der Branche {sector}.",
        ),
        "Unterstützung bei der digitalen Innovation in der Branche {sector}.",
    ),
    "it": (
        (
            "Cerchiamo un supporto in ambito {tech} per la nostra attività nel settore {sector}.",
            "Ci serve aiuto per introdurre soluzioni di {tech} nel settore {sector}.",
            "Un partner con esperienza in {tech} per le aziende del settore {sector}.",
        ),
        "Supporto all'innovazione digitale nel settore {sector}.",
    ),
    "es": (
        (
            "Buscamos apoyo en {tech} para nuestra actividad en el sector {sector}.",
            "Necesitamos ayuda para introducir soluciones de {tech} en el sector {sector}.",
            "Un socio con experiencia en {tech} para empresas del sector {sector}.",
        ),
        "Apoyo a la innovación digital en el sector {sector}.",
    ),
    "ca": (
        (
            "Cerquem suport en {tech} per a la nostra activitat al sector {sector}.",
            "Necessitem ajuda per introduir solucions en {tech} al sector {sector}.",
            "Un soci amb experiència en {tech} per a empreses del sector {sector}.",
        ),
        "Suport a la innovació digital al sector {sector}.",
    ),
    "pt": (
        (
            "Procuramos apoio em {tech} para a nossa atividade no setor {sector}.",
            "Precisamos de ajuda para introduzir soluções de {tech} no setor {sector}.",
            "Um parceiro com experiência em {tech} para empresas do setor {sector}.",
        ),
        "Apoio à inovação digital no setor {sector}.",
    ),
    "ro": (
        (
            "Căutăm sprijin pentru {tech} în activitatea noastră din sectorul {sector}.",
            "Avem nevoie de ajutor pentru a introduce soluții de {tech} în sectorul {sector}.",
            "Un partener cu experiență în {tech} pentru companiile din sectorul {sector}.",
        ),
        "Sprijin pentru inovarea digitală în sectorul {sector}.",
    ),
    "nl": (
        (
            "Wij zoeken ondersteuning op het gebied van {tech} voor onze activiteiten in de "
            "sector {sector}.",
            "Hulp gezocht bij het invoeren van {tech} in de sector {sector}.",
            "Een partner met ervaring in {tech} voor bedrijven in de sector {sector}.",
        ),
        "Ondersteuning bij digitale innovatie in de sector {sector}.",
    ),
    "fi": (
        (
            "Etsimme tukea teknologia-alueella {tech} toimialallemme: {sector}.",
            "Tarvitsemme apua ottaaksemme käyttöön teknologian {tech} toimialalla {sector}.",
            "Kumppani, jolla on kokemusta aiheesta {tech}, toimialan {sector} yrityksille.",
        ),
        "Tukea digitaaliseen innovointiin toimialalla {sector}.",
    ),
    "et": (
        (
            "Otsime tuge valdkonnas {tech} oma tegevuse jaoks sektoris {sector}.",
            "Vajame abi, et võtta kasutusele {tech} sektoris {sector}.",
            "Partner, kellel on kogemusi valdkonnas {tech}, sektori {sector} ettevõtetele.",
        ),
        "Tugi digitaalsele innovatsioonile sektoris {sector}.",
    ),
}
# The names of `TECHNOLOGIES` in each language, in the same order.
TECHNOLOGY_NAMES: dict[str, tuple[str, ...]] = {
    "fr": (
        "robotique",
        "intelligence artificielle",
        "calcul haute performance",
        "cybersécurité",
        "fabrication additive",
        "internet des objets",
        "analyse de données massives",
        "informatique en nuage",
        "blockchain",
        "simulation et jumeaux numériques",
        "photonique et lasers",
        "réalité virtuelle et augmentée",
    ),
    "de": (
        "Robotik",
        "künstliche Intelligenz",
        "Hochleistungsrechnen",
        "Cybersicherheit",
        "additive Fertigung",
        "Internet der Dinge",
        "Big-Data-Analyse",
        "Cloud-Computing",
        "Blockchain",
        "Simulation und digitale Zwillinge",
        "Photonik und Lasertechnik",
        "virtuelle und erweiterte Realität",
    ),
    "it": (
        "robotica",
        "intelligenza artificiale",
        "calcolo ad alte prestazioni",
        "cybersicurezza",
        "manifattura additiva",
        "internet delle cose",
        "analisi dei big data",
        "cloud computing",
        "blockchain",
        "simulazione e gemelli digitali",
        "fotonica e laser",
        "realtà virtuale e aumentata",
    ),
    "es": (
        "robótica",
        "inteligencia artificial",
        "computación de alto rendimiento",
        "ciberseguridad",
        "fabricación aditiva",
        "internet de las cosas",
        "análisis de big data",
        "computación en la nube",
        "blockchain",
        "simulación y gemelos digitales",
        "fotónica y láseres",
        "realidad virtual y aumentada",
    ),
    "ca": (
        "robòtica",
        "intel·ligència artificial",
        "computació d'alt rendiment",
        "ciberseguretat",
        "fabricació additiva",
        "internet de les coses",
        "anàlisi de dades massives",
        "computació al núvol",
        "blockchain",
        "simulació i bessons digitals",
        "fotònica i làsers",
        "realitat virtual i augmentada",
    ),
    "pt": (
        "robótica",
        "inteligência artificial",
        "computação de alto desempenho",
        "cibersegurança",
        "fabrico aditivo",
        "internet das coisas",
        "análise de big data",
        "computação em nuvem",
        "blockchain",
        "simulação e gémeos digitais",
        "fotónica e lasers",
        "realidade virtual e aumentada",
    ),
    "ro": (
        "robotică",
        "inteligență artificială",
        "calcul de înaltă performanță",
        "securitate cibernetică",
        "fabricație aditivă",
        "internetul lucrurilor",
        "analiza big data",
        "cloud computing",
        "blockchain",
        "simulare și gemeni digitali",
        "fotonică și laseri",
        "realitate virtuală și augmentată",
    ),
    "nl": (
        "robotica",
        "kunstmatige intelligentie",
        "high-performance computing",
        "cybersecurity",
        "additieve productie",
        "internet der dingen",
        "big-data-analyse",
        "cloudcomputing",
        "blockchain",
        "simulatie en digitale tweelingen",
        "fotonica en lasers",
        "virtual en augmented reality",
    ),
    "fi": (
        "robotiikka",
        "tekoäly",
        "suurteholaskenta",
        "kyberturvallisuus",
        "ainetta lisäävä valmistus",
        "esineiden internet",
        "massadata-analytiikka",
        "pilvipalvelut",
        "lohkoketjuteknologia",
        "simulointi ja digitaaliset kaksoset",
        "fotoniikka ja laserit",
        "virtuaali- ja lisätty todellisuus",
    ),
    "et": (
        "robootika",
        "tehisintellekt",
        "kõrgjõudlusega andmetöötlus",
        "küberturvalisus",
        "aditiivne tootmine",
        "asjade internet",
        "suurandmete analüüs",
        "pilvandmetöötlus",
        "plokiahel",
        "simulatsioonid ja digitaalsed kaksikud",
        "fotoonika ja laserid",
        "virtuaal- ja liitreaalsus",
    ),
}
LANGUAGES = ("en", *WRITTEN)


def need_text(language: str, template: int, tech: str, sector: str) -> str:
    """The need's text in `language`: template number `template` naming `tech` (a key of
    `TECHNOLOGIES`, "" for none) and the sector's label."""
    if language == "en":
        templates, none, name = TEMPLATES, NO_TECHNOLOGY, tech
    else:
        templates, none = WRITTEN[language]
        name = TECHNOLOGY_NAMES[language][list(TECHNOLOGIES).index(tech)] if tech else ""
    return (
        templates[template].format(tech=name, sector=sector) if tech else none.format(sector=sector)
    )


def languages_asked(values: list[str] | None) -> list[str]:
    """`--language` values ("fr", "fr,de", "all"; repeatable) as a list of codes."""
    codes = [c.strip() for v in values or ["en"] for c in v.split(",") if c.strip()]
    codes = list(LANGUAGES) if "all" in codes else codes
    unknown = sorted(set(codes) - set(LANGUAGES))
    if unknown:
        raise SystemExit(
            f"--language: unknown {', '.join(unknown)} (one of {', '.join(LANGUAGES)})"
        )
    return list(dict.fromkeys(codes))


def names_technology(text: str, tech: str) -> bool:
    lowered = f" {text.lower()} "
    return any(
        re.search(rf"\b{re.escape(w)}", lowered) if w.isalnum() else w in lowered
        for w in TECHNOLOGIES[tech]
    )


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterbroker.settings")
    import django

    django.setup()


def bm25_matrix(texts: list[str], k1: float = 1.2, b: float = 0.75):
    vectorizer = CountVectorizer(stop_words="english")
    counts = vectorizer.fit_transform(texts).tocsr().astype(np.float32)
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    average = lengths.mean() if len(lengths) else 1.0
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    n = counts.shape[0]
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
    rows = np.repeat(np.arange(n), np.diff(counts.indptr))
    tf = counts.data
    norm = k1 * (1 - b + b * lengths[rows] / max(average, 1e-9))
    data = idf[counts.indices] * tf * (k1 + 1) / (tf + norm)
    weights = sparse.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape)
    return vectorizer, weights.tocsc()


def top(values: np.ndarray, rows: np.ndarray, k: int = 10) -> list[int]:
    order = np.lexsort((rows, -values))[:k]
    return [int(rows[i]) for i in order if values[i] > 0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hubs", type=Path, default=SHARED / "dih-catalogue" / "dihs.jsonl.gz")
    parser.add_argument(
        "--participations",
        type=Path,
        default=SHARED / "cordis-h2020-participations" / "participations.csv.gz",
    )
    parser.add_argument(
        "--programme-parts",
        type=Path,
        default=SHARED / "cordis-h2020-participations" / "programme_parts.csv.gz",
    )
    parser.add_argument("--needs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--organisations", type=int, default=35_000, help="pad the registry to this size (0: no)"
    )
    parser.add_argument(
        "--encoder",
        choices=("model", "hashing"),
        default="model",
        help="sentence embeddings: the packaged model (default) or the model-free stand-in",
    )
    parser.add_argument(
        "--explain", type=int, default=0, help="print the engine's top 10 for this many needs"
    )
    parser.add_argument(
        "--language",
        action="append",
        help="write the needs in this language (en, fr, de, it, es, ca, pt, ro, nl, fi, et, or "
        "all; repeatable or comma-separated; default en): the same needs, ranked over the "
        "same registry, precision@10 printed per language",
    )
    args = parser.parse_args()
    languages = languages_asked(args.language)
    setup_django()

    from django.conf import settings

    from clusterbroker.brokering import embeddings
    from clusterbroker.brokering.cordis import read_participations, read_programme_parts
    from clusterbroker.brokering.engine import weights as engine_weights
    from clusterbroker.brokering.matching import CandidateRecord, MatchQuery, build_index, rank
    from clusterbroker.brokering.matching.index import Edge
    from clusterbroker.importers.dih_catalogue import SECTORS, read_hubs
    from clusterbroker.text.detect import detect_language

    if args.encoder == "hashing":
        embeddings.use_encoder(embeddings.HashingEncoder())
    weights = engine_weights() if settings.configured else None
    rng = np.random.default_rng(args.seed)
    t0 = time.perf_counter()

    # --- the registry ------------------------------------------------------------------
    hubs = read_hubs(args.hubs)
    sector_ids = {name: 1000 + i for i, name in enumerate(SECTORS)}
    sector_label = {sector_ids[name]: label for name, (_code, label) in SECTORS.items()}
    rows = read_participations(args.participations)
    parts = read_programme_parts(args.programme_parts)
    members: dict[int, list[int]] = defaultdict(list)
    country: dict[int, str] = {}
    kind: dict[int, str] = {}
    fields: dict[int, Counter] = defaultdict(Counter)
    for r in rows:
        members[r.rcn].append(r.pic)
        country[r.pic] = r.country
        kind[r.pic] = CORDIS_KINDS.get(r.type, "other")
        fields[r.pic][parts.get(r.rcn, "unknown")] += 1
    edges: Counter = Counter()
    for rcn, pics in members.items():
        pics = sorted(set(pics))
        if len(pics) <= 60:
            for a, b in combinations(pics, 2):
                edges[(a, b, parts.get(rcn, ""))] += 1.0
    hub_keys = list(range(1, len(hubs) + 1))
    hub_vectors = embeddings.embed([h.description or h.title for h in hubs])
    records = [
        CandidateRecord(
            key=key,
            name=h.title,
            country=h.country,
            kind="dih",
            text=h.description,
            # As the registry stores it: the language detected from the description.
            language=detect_language(h.description),
            terms=[sector_ids[s] for s in h.sectors],
            embedding=np.frombuffer(v, dtype=np.float32) if v else None,
        )
        for key, h, v in zip(hub_keys, hubs, hub_vectors, strict=True)
    ]
    records += [
        CandidateRecord(
            key=pic, name=str(pic), country=country[pic], kind=kind[pic], fields=dict(f)
        )
        for pic, f in fields.items()
    ]
    real = len(records)
    pics = list(fields)
    padding = max(0, args.organisations - real)
    copies = rng.choice(len(pics), size=padding) if padding else []
    base = max(pics) + 1
    for i, c in enumerate(copies):
        pic = pics[int(c)]
        records.append(
            CandidateRecord(
                key=base + i,
                name=f"copy {pic}",
                country=country[pic],
                kind=kind[pic],
                fields=dict(fields[pic]),
            )
        )
    all_edges = [Edge(a, b, w, p) for (a, b, p), w in edges.items()]
    index = build_index(records, term_labels=sector_label, edges=all_edges)
    build_seconds = time.perf_counter() - t0

    # --- the needs ------------------------------------------------------------------------
    partners: dict[int, set[int]] = defaultdict(set)
    for a, b, _p in edges:
        partners[a].add(b)
        partners[b].add(a)
    askers = [p for p in pics if partners[p] and country[p]]
    needs = []
    for _ in range(args.needs):
        hub = hubs[int(rng.integers(len(hubs)))]
        while not hub.sectors:
            hub = hubs[int(rng.integers(len(hubs)))]
        sector = hub.sectors[int(rng.integers(len(hub.sectors)))]
        techs = [t for t in TECHNOLOGIES if names_technology(hub.description, t)]
        tech = techs[int(rng.integers(len(techs)))] if techs else ""
        label = SECTORS[sector][1].lower()
        template = int(rng.integers(len(TEMPLATES))) if tech else 0
        asker = askers[int(rng.integers(len(askers)))]
        needs.append(
            {
                "sector": sector_ids[sector],
                "tech": tech,
                "template": template,
                "label": label,
                "asker": asker,
                "country": country[asker],
                "local": bool(rng.integers(2)),
                "field": fields[asker].most_common(1)[0][0],
            }
        )

    providers = np.flatnonzero(np.isin(index.kinds, PROVIDER_KINDS))
    hub_rows = {index.row_of[k]: h for k, h in zip(hub_keys, hubs, strict=True)}
    texts = [r.text for r in records]
    bm25_vectorizer, bm25 = bm25_matrix(texts)

    def relevant(row: int, need: dict) -> bool:
        hub = hub_rows.get(row)
        if hub is None:
            return False
        serves = need["sector"] in {sector_ids[s] for s in hub.sectors}
        return serves and (not need["tech"] or names_technology(hub.description, need["tech"]))

    def relevant_rows(need: dict) -> list[int]:
        return [row for row in hub_rows if relevant(row, need)]

    def engine(need: dict, vector, known: str, relevance: bool = True) -> list[int]:
        query = MatchQuery(
            terms=[need["sector"]],
            text=need["text"],
            language=need["language"],
            embedding=np.frombuffer(vector, dtype=np.float32) if vector else None,
            country=need["country"],
            local=need["local"],
            cross_border=not need["local"],
            anchors=[need["asker"]],
            field=need["field"],
            kinds=PROVIDER_KINDS,
            relevance=relevance,
            known_partners=known,
        )
        kwargs = {"weights": weights} if weights is not None else {}
        return [index.row_of[m.key] for m in rank(index, query, limit=10, **kwargs)]

    def text_only(need: dict, _vector) -> list[int]:
        query = bm25_vectorizer.transform([f"{need['text']}"])
        cols = query.indices
        scores = np.asarray(bm25[:, cols].sum(axis=1)).ravel()[providers]
        return top(scores, providers)

    term_column = index.term_columns

    def terms_only(need: dict, _vector) -> list[int]:
        column = term_column[need["sector"]]
        has = np.asarray(index.terms_by_column[:, column].todense()).ravel()[providers]
        scores = has * (1.0 + index.activity[providers] / (1.0 + index.activity.max()))
        return top(scores, providers)

    systems = {
        "engine (new partners)": lambda n, v: engine(n, v, "exclude"),
        "engine, partners included": lambda n, v: engine(n, v, "include"),
        "previous engine (network-first)": lambda n, v: engine(n, v, "include", relevance=False),
        "baseline BM25 text only": text_only,
        "baseline terms only": terms_only,
    }
    print(
        f"registry: {len(index)} organisations ({real} real: {len(hubs)} hubs, "
        f"{len(fields)} CORDIS; {padding} copies), built in {build_seconds:.1f} s; "
        f"{len(needs)} needs, seed {args.seed}, encoder {args.encoder}; "
        f"{platform.python_version()} on {os.cpu_count()} cores"
    )

    def evaluate(needs: list[dict], need_vectors: list) -> dict[str, float]:
        """Print each system's figures on `needs`; return its precision@10."""
        for need, vector in list(zip(needs, need_vectors, strict=True))[: args.explain]:
            wanted = relevant_rows(need)
            print(
                f"\n{need['text']} [{need['country']}, local={need['local']}] "
                f"relevant={len(wanted)}"
            )
            for row in engine(need, vector, "exclude"):
                hub = hub_rows.get(row)
                print(
                    f"  {'+' if relevant(row, need) else '-'} {index.names[row][:50]:50s} "
                    f"{index.countries[row]} {(hub.description if hub else '')[:90]!r}"
                )
        out = {}
        for name, system in systems.items():
            precision, partner_share, local_share, latency = [], [], [], []
            by_case: dict[str, list[float]] = defaultdict(list)
            for need, vector in zip(needs, need_vectors, strict=True):
                start = time.perf_counter()
                result = system(need, vector)
                latency.append((time.perf_counter() - start) * 1000)
                wanted = relevant_rows(need)
                if wanted:
                    hits = sum(relevant(row, need) for row in result)
                    precision.append(hits / min(10, len(wanted)))
                    case = ("technology" if need["tech"] else "sector") + (
                        ", local" if need["local"] else ""
                    )
                    by_case[case].append(precision[-1])
                if result:
                    known = partners[need["asker"]]
                    partner_share.append(
                        sum(int(index.keys[row]) in known for row in result) / len(result)
                    )
                if need["local"]:
                    here = [r for r in wanted if index.countries[r] == need["country"]]
                    if len(here) >= 5 and result:
                        local_share.append(
                            sum(index.countries[row] == need["country"] for row in result[:10])
                            / len(result[:10])
                        )
            out[name] = float(np.mean(precision))
            local = np.mean(local_share) if local_share else float("nan")
            print(
                f"{name:34s} precision@10={out[name]:.3f} "
                f"partners@10={np.mean(partner_share) if partner_share else 0:.3f} "
                f"same-country@10(local)={local:.3f} "
                f"(n={len(local_share)}) p50={np.percentile(latency, 50):.1f} ms "
                f"p95={np.percentile(latency, 95):.1f} ms"
            )
            print(
                " " * 36
                + "  ".join(
                    f"{case}: {np.mean(v):.2f} (n={len(v)})" for case, v in sorted(by_case.items())
                )
            )
        return out

    hub_languages = Counter(getattr(r, "language", "") or "?" for r in records[: len(hubs)])
    print(
        "hub descriptions by detected language: "
        + ", ".join(f"{code} {n}" for code, n in hub_languages.most_common())
    )
    summary: dict[str, dict[str, float]] = {}
    for language in languages:
        written = [
            {
                **n,
                "language": language,
                "text": need_text(language, n["template"], n["tech"], n["label"]),
            }
            for n in needs
        ]
        vectors = embeddings.embed([n["text"] for n in written])
        if len(languages) > 1:
            print(f"\n--- needs written in {language} ---")
        summary[language] = evaluate(written, vectors)
    if len(languages) > 1:
        names = list(systems)
        print("\nprecision@10 by language of the needs (same needs, same registry):")
        print("language  " + "  ".join(f"{name[:24]:>24s}" for name in names))
        for language, values in summary.items():
            print(f"{language:8s}  " + "  ".join(f"{values[name]:24.3f}" for name in names))


if __name__ == "__main__":
    main()
