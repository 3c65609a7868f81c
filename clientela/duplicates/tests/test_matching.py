"""The matching rules on real-looking pairs: those a person calls the same company, and
those they would not."""

import pytest

from clientela.duplicates import matching
from clientela.duplicates.matching import compare, fold_name, profile, similarity


def acc(name, email="", phones=(), tax_id="", country="PA", id=None):
    return profile(id=id, name=name, emails=[email], phones=phones, tax_id=tax_id, country=country)


SAME = [
    # (a, b, reason code expected)
    (acc("Grupo Rodríguez Corp."), acc("GRUPO RODRIGUEZ, S.A."), "name"),
    (acc("Distribuidora El Sol, S. de R.L."), acc("Distribuidora El Sol"), "name"),
    (acc("Ferretería Hnos. Pérez Ltda."), acc("Ferreteria Hermanos Perez"), "name"),
    (acc("Café Britt Cía. Ltda."), acc("CAFE BRITT"), "name"),
    (acc("Comercial Andina S.A.S."), acc("Comercial Andina SAS"), "name"),
    (
        acc("Constructora Norte", "Ventas@ConstNorte.com"),
        acc("Otra", "ventas@constnorte.com"),
        "email",
    ),
    (
        acc("Inversiones Caribe", "ana@caribe-inv.pa"),
        acc("Inversiones del Caribe, S.A.", "luis@caribe-inv.pa"),
        "domain",
    ),
    (acc("Alfa", phones=["+50762345678"]), acc("Beta", phones=["+50762345678;ext=12"]), "phone"),
    (
        acc("Textiles Lima", tax_id="20512345678", country="PE"),
        acc("Textiles de Lima", tax_id="20512345678", country="CO"),
        "tax_id",
    ),
    (
        acc("Agroindustrias Bananeras S.A. de C.V."),
        acc("Agroindustrias Bananeras, SA de CV"),
        "name",
    ),
]

DIFFERENT = [
    (acc("Grupo Rodríguez Corp."), acc("Grupo Martínez Corp.")),
    (acc("Farmacia San José"), acc("Ferretería San Miguel")),
    (acc("Banco Nacional de Panamá"), acc("Banco General")),
    # A shared free-mail domain says nothing.
    (
        acc("Panadería Lupita", "lupita@gmail.com"),
        acc("Taller Mecánico Lupe", "tallerlupe@gmail.com"),
    ),
    # Same company domain but nothing alike in the name (a holding's brands).
    (acc("Supermercados Rey", "a@gruporey.com"), acc("Farmacias Metro", "b@gruporey.com")),
    # The same tax id digits in the same country are the tax id rule's job, not ours.
    (
        acc("Alfa Uno", tax_id="8-123-456", country="PA"),
        acc("Omega Dos", tax_id="8-123-457", country="PA"),
    ),
    (acc("Servicios Integrales S.A."), acc("Servicios Generales S.A.")),
    # Numbered names are different places or companies.
    (acc("Distribuidora Número 7, S.A."), acc("Distribuidora Número 1000, S.A.")),
    (acc("Supermercado Rey Sucursal 2"), acc("Supermercado Rey Sucursal 3")),
]


@pytest.mark.parametrize(("a", "b", "reason"), SAME, ids=[p[0].name for p in SAME])
def test_pairs_that_match(a, b, reason):
    match = compare(a, b)
    assert match is not None, (a.folded, b.folded, similarity(a.folded, b.folded))
    assert reason in {r.code for r in match.reasons}
    assert 0 < match.score <= 1
    # Symmetric, and explained in words.
    assert compare(b, a) is not None
    assert all(str(r) for r in match.reasons)
    # And the blocking keys put them in one block, so the scan compares them.
    assert matching.blocking_keys(a) & matching.blocking_keys(b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT, ids=[p[0].name for p in DIFFERENT])
def test_pairs_that_do_not_match(a, b):
    assert compare(a, b) is None


def test_folding_drops_accents_case_punctuation_and_legal_forms():
    assert fold_name("GRUPO RODRÍGUEZ, S.A.") == "grupo rodriguez"
    assert fold_name("Grupo Rodríguez Corp.") == "grupo rodriguez"
    assert fold_name("Distribuidora Ñandú S. de R.L. de C.V.") == "distribuidora nandu"
    assert fold_name("S.A.") == "sa"  # nothing but a legal form: kept, not emptied


def test_similarity_is_pg_trgm_similarity():
    # pg_trgm: similarity('word', 'two words') = 0.363636
    assert similarity("word", "two words") == pytest.approx(0.363636, abs=1e-5)
    assert similarity("abc", "abc") == 1.0
    assert similarity("", "abc") == 0.0


def test_contacts_match_across_accounts_by_email_or_mobile_only():
    ana = profile(id=1, name="Ana Gómez", emails=["ana@x.com"], person=True, group=1)
    ana_elsewhere = profile(id=2, name="Ana Gomez", person=True, group=2)
    assert compare(ana, ana_elsewhere) is None
    same_account = profile(id=3, name="Ana Gomez", person=True, group=1)
    assert compare(ana, same_account) is not None
    by_mail = profile(id=4, name="A. G.", emails=["ANA@x.com"], person=True, group=9)
    assert {r.code for r in compare(ana, by_mail).reasons} == {"email"}
