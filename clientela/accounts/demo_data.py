"""Curated Latin American demo data and the pure generator behind `manage.py seed_demo`.

`build_demo_rows()` turns (count, seed, first code number) into plain rows without touching the
database, so one seed gives the same accounts on every machine and tests compare runs directly.
Curated lists instead of Faker: Faker is not a dependency, and its es_* locales know nothing of
Panama's provinces, RUCs or phone plan.
"""

from __future__ import annotations

import random
import re
import unicodedata
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from typing import Generic, TypeVar

import phonenumbers
from stdnum import luhn
from stdnum.cl import rut as cl_rut
from stdnum.co import nit as co_nit
from stdnum.do import rnc as do_rnc
from stdnum.gt import nit as gt_nit
from stdnum.mx import rfc as mx_rfc
from stdnum.pe import ruc as pe_ruc

from .models import Account
from .taxid import validate_tax_id
from .taxid.own_validators import gt_cui_check_digit

DEFAULT_SEED = 2026

T = TypeVar("T")


class Weighted(Generic[T]):
    """A fixed weighted choice; cumulative weights computed once, not on every pick."""

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.items = [item for item, _weight in pairs]
        self._cumulative = list(accumulate(weight for _item, weight in pairs))

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect(self._cumulative, rng.random() * self._cumulative[-1])]


# ── People ──────────────────────────────────────────────────────────────────────────────────────

FEMALE_NAMES: tuple[str, ...] = (
    "María", "Ana", "Sofía", "Valentina", "Camila", "Lucía", "Isabel", "Gabriela", "Daniela",
    "Mónica", "Verónica", "Inés", "Yaritza", "Yessenia", "Itzel", "Kathia", "Yamileth", "Rosa",
    "Carmen", "Patricia", "Marisol", "Elena", "Beatriz", "Diana", "Gloria", "Mariela", "Xiomara",
    "Milagros", "Dayana", "Zuleika", "Anabel", "Lourdes", "Iris", "Ximena", "Noemí", "Maité",
)  # fmt: skip
MALE_NAMES: tuple[str, ...] = (
    "José", "Luis", "Carlos", "Andrés", "Jorge", "Juan", "Fernando", "Ricardo", "Rubén", "Ramón",
    "Héctor", "Óscar", "Raúl", "Iván", "Ángel", "Martín", "Joaquín", "Sebastián", "Nicolás",
    "Tomás", "Aníbal", "Eliécer", "Edwin", "Roberto", "Eduardo", "Manuel", "Alberto", "Francisco",
    "Miguel", "Rafael", "Víctor", "Diego", "Alejandro", "Gustavo", "Enrique", "Ariel", "Abdiel",
    "Omar", "Efraín", "Nelson", "Germán", "Agustín",
)  # fmt: skip
FIRST_NAMES: tuple[str, ...] = FEMALE_NAMES + MALE_NAMES

SURNAMES: tuple[str, ...] = (
    "González", "Rodríguez", "Pérez", "Sánchez", "Castillo", "Herrera", "Batista", "Vásquez",
    "Pineda", "Quintero", "Jaén", "De León", "Barría", "Samaniego", "Cedeño", "Moreno", "Ríos",
    "Vega", "Aparicio", "Arosemena", "Arias", "Fábrega", "Guardia", "Motta", "Vallarino",
    "Saavedra", "Tejeira", "Villarreal", "Caballero", "Espino", "Atencio", "Domínguez", "Frías",
    "Gómez", "Hernández", "Jiménez", "López", "Martínez", "Navarro", "Ortega", "Rivera", "Ruiz",
    "Santamaría", "Torres", "Urriola", "Valdés", "Zúñiga", "Núñez", "Peña", "Muñoz", "Castañeda",
    "Ordóñez", "Saldaña", "Ibáñez", "Patiño", "Avendaño", "Montenegro", "Carrasco", "Solís",
    "Mendoza", "Chávez", "Delgado", "Guerra", "Miranda", "Bernal", "Córdoba", "Ábrego", "Pitty",
    "Murillo", "Acosta", "Sáenz", "Méndez", "Espinosa", "Osorio", "Franco", "Ledezma", "Polo",
)  # fmt: skip

# Sales users the demo accounts are spread across (username, first name, last name), with the
# share of accounts each one carries: a real team is never evenly loaded.
SALES_TEAM: tuple[tuple[str, str, str], ...] = (
    ("ana.gomez", "Ana", "Gómez"),
    ("luis.rodriguez", "Luis", "Rodríguez"),
    ("maria.pineda", "María", "Pineda"),
    ("carlos.batista", "Carlos", "Batista"),
    ("sofia.castillo", "Sofía", "Castillo"),
    ("jorge.herrera", "Jorge", "Herrera"),
)
_SALES_SHARE = Weighted(
    list(zip((username for username, _f, _l in SALES_TEAM), (25, 20, 20, 15, 12, 8), strict=True))
)

# "Lic." and "Ing." read the same for women and men, unlike "Dr."/"Dra.".
_TITLES = Weighted([("", 90), ("Lic. ", 6), ("Ing. ", 4)])

# ── Places ──────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Place:
    city: str
    state: str
    landline_prefixes: tuple[str, ...]  # national-number prefixes of the city's fixed lines
    region_code: str = ""  # Panama: cédula province; Ecuador: two-digit province of the RUC


# Panama: city, province, local fixed-line exchanges and the province number of its cédulas.
PANAMA_PLACES: tuple[tuple[Place, float], ...] = (
    (Place("Ciudad de Panamá", "Panamá", ("2", "3"), "8"), 45),
    (Place("San Miguelito", "Panamá", ("26", "27", "29"), "8"), 8),
    (Place("David", "Chiriquí", ("774", "775", "777", "730"), "4"), 8),
    (Place("Colón", "Colón", ("441", "445", "447", "430", "433"), "3"), 6),
    (Place("La Chorrera", "Panamá Oeste", ("253", "254", "244"), "13"), 6),
    (Place("Arraiján", "Panamá Oeste", ("251", "252", "259"), "13"), 5),
    (Place("Santiago", "Veraguas", ("958", "998", "954"), "9"), 5),
    (Place("Chitré", "Herrera", ("996", "910", "970"), "6"), 4),
    (Place("Penonomé", "Coclé", ("997", "991"), "2"), 3),
    (Place("Aguadulce", "Coclé", ("997",), "2"), 2),
    (Place("Las Tablas", "Los Santos", ("994", "923"), "7"), 2),
    (Place("Boquete", "Chiriquí", ("720",), "4"), 2),
    (Place("Changuinola", "Bocas del Toro", ("758",), "1"), 1),
    (Place("Bocas del Toro", "Bocas del Toro", ("757",), "1"), 1),
)

OTHER_PLACES: dict[str, tuple[Place, ...]] = {
    "CO": (
        Place("Bogotá", "Bogotá D.C.", ("601",)),
        Place("Medellín", "Antioquia", ("604",)),
        Place("Cali", "Valle del Cauca", ("602",)),
        Place("Barranquilla", "Atlántico", ("605",)),
        Place("Bucaramanga", "Santander", ("607",)),
    ),
    "CR": (
        Place("San José", "San José", ("22",)),
        Place("Alajuela", "Alajuela", ("24",)),
        Place("Heredia", "Heredia", ("22", "26")),
        Place("Cartago", "Cartago", ("25",)),
        Place("Liberia", "Guanacaste", ("26",)),
    ),
    "MX": (
        Place("Ciudad de México", "Ciudad de México", ("55",)),
        Place("Guadalajara", "Jalisco", ("33",)),
        Place("Monterrey", "Nuevo León", ("81",)),
        Place("Puebla", "Puebla", ("222",)),
        Place("Mérida", "Yucatán", ("999",)),
        Place("Querétaro", "Querétaro", ("442",)),
    ),
    "EC": (
        Place("Quito", "Pichincha", ("2",), "17"),
        Place("Guayaquil", "Guayas", ("4",), "09"),
        Place("Cuenca", "Azuay", ("7",), "01"),
        Place("Manta", "Manabí", ("5",), "13"),
        Place("Ambato", "Tungurahua", ("3",), "18"),
    ),
    "PE": (
        Place("Lima", "Lima", ("1",)),
        Place("Arequipa", "Arequipa", ("54",)),
        Place("Trujillo", "La Libertad", ("44",)),
        Place("Piura", "Piura", ("73",)),
        Place("Cusco", "Cusco", ("84",)),
    ),
    "GT": (
        Place("Ciudad de Guatemala", "Guatemala", ("22", "23", "24")),
        Place("Quetzaltenango", "Quetzaltenango", ("77",)),
        Place("Antigua Guatemala", "Sacatepéquez", ("78",)),
        Place("Escuintla", "Escuintla", ("78",)),
    ),
    "DO": (
        Place("Santo Domingo", "Distrito Nacional", ("809", "829", "849")),
        Place("Santiago de los Caballeros", "Santiago", ("809", "829")),
        Place("La Romana", "La Romana", ("809",)),
        Place("Punta Cana", "La Altagracia", ("809", "829")),
    ),
    "CL": (
        Place("Santiago", "Región Metropolitana", ("22",)),
        Place("Valparaíso", "Valparaíso", ("32",)),
        Place("Concepción", "Biobío", ("41",)),
        Place("Antofagasta", "Antofagasta", ("55",)),
    ),
}

# About 85% of a Panamanian company's customers are local; the rest are in the region.
COUNTRIES = Weighted(
    [("PA", 85), ("CO", 3), ("CR", 3), ("MX", 2), ("EC", 2), ("PE", 1.5), ("GT", 1.5),
     ("DO", 1), ("CL", 1)]
)  # fmt: skip
_PANAMA_PLACE = Weighted(PANAMA_PLACES)

# Corregimientos of Panama City, for the juntas comunales among government customers.
CORREGIMIENTOS: tuple[str, ...] = (
    "Bella Vista", "San Francisco", "Betania", "Juan Díaz", "Pueblo Nuevo", "Ancón", "Tocumen",
    "Pedregal", "Parque Lefevre", "Río Abajo", "Calidonia", "Curundú", "Santa Ana", "Las Cumbres",
)  # fmt: skip

PANAMA_STREETS: dict[str, tuple[str, ...]] = {
    "Ciudad de Panamá": (
        "Calle 50", "Vía España", "Avenida Balboa", "Vía Israel", "Calle Uruguay",
        "Avenida Samuel Lewis", "Vía Porras", "Avenida Ricardo J. Alfaro", "Calle 74 San Francisco",
        "Avenida Perú", "Avenida Central", "Costa del Este, Avenida La Rotonda", "Punta Pacífica",
        "Avenida Federico Boyd", "Calle Aquilino de la Guardia", "Vía Argentina", "El Dorado",
    ),
    "San Miguelito": ("Vía Transístmica", "Vía Domingo Díaz", "Los Andes No. 2", "Cerro Viento"),
    "David": ("Avenida Obaldía", "Calle Central", "Avenida 3 de Noviembre", "Vía Interamericana"),
    "Colón": ("Calle 13", "Avenida Bolívar", "Zona Libre de Colón", "Avenida Amador Guerrero"),
    "La Chorrera": ("Avenida de las Américas", "Calle Larga", "Barrio Colón"),
    "Arraiján": ("Vía Interamericana", "Vista Alegre", "Nuevo Chorrillo"),
    "Santiago": ("Avenida Central", "Calle 10ª", "Vía Interamericana"),
    "Chitré": ("Paseo Enrique Geenzier", "Avenida Herrera", "Calle Aminta Burgos de Amado"),
    "Penonomé": ("Avenida Juan Demóstenes Arosemena", "Calle Damián Carles"),
    "Aguadulce": ("Avenida Rodolfo Chiari", "Calle Alejandro Tapia Escobar"),
    "Las Tablas": ("Avenida Belisario Porras", "Calle Moisés Espino"),
    "Boquete": ("Avenida Central", "Bajo Boquete", "Alto Quiel"),
    "Changuinola": ("Avenida 17 de Abril", "Finca 4"),
    "Bocas del Toro": ("Calle 3ª", "Avenida Norte", "Isla Colón"),
}  # fmt: skip
PANAMA_BUILDINGS: tuple[str, ...] = (
    "Edificio Plaza Real", "Torre Global", "Edificio Comosa", "Plaza Regency", "PH Oceanía",
    "Torre de las Américas", "Centro Comercial Los Pueblos", "Plaza Concordia", "Edificio Banistmo",
    "Torre Banco General", "Plaza Carolina", "Edificio Don Pancho", "Centro Comercial El Dorado",
)  # fmt: skip

OTHER_STREETS: dict[str, tuple[str, ...]] = {
    "MX": ("Av. Paseo de la Reforma", "Av. Insurgentes Sur", "Av. Vallarta", "Calle Madero",
           "Blvd. Manuel Ávila Camacho", "Av. Constitución", "Calle Hidalgo"),
    "EC": ("Av. Amazonas", "Av. 9 de Octubre", "Av. de los Shyris", "Av. Francisco de Orellana",
           "Calle Bolívar"),
    "PE": ("Av. Javier Prado Este", "Av. José Larco", "Jr. de la Unión", "Av. Arequipa",
           "Calle Las Begonias"),
    "DO": ("Av. Winston Churchill", "Av. 27 de Febrero", "Av. Abraham Lincoln",
           "Av. Gustavo Mejía Ricart", "Calle El Conde"),
    "CL": ("Av. Providencia", "Av. Apoquindo", "Av. Libertador Bernardo O'Higgins",
           "Av. Vitacura", "Calle Huérfanos"),
}  # fmt: skip
COSTA_RICA_LANDMARKS: tuple[str, ...] = (
    "Del Parque Central", "De la iglesia católica", "Del antiguo Higuerón", "De la Sabana",
    "Del Mall San Pedro", "De la escuela", "Del Banco Nacional",
)  # fmt: skip

# ── Companies ───────────────────────────────────────────────────────────────────────────────────

BRANDS: tuple[str, ...] = (
    "Atlántico", "Pacífico", "del Istmo", "Horizonte", "Cordillera", "Alborada", "Cóndor",
    "Quetzal", "Bahía Azul", "Sol y Mar", "Nueva Era", "Las Américas", "Continental", "Génesis",
    "Éxito", "Tropical", "Esmeralda", "Los Andes", "Caribe", "Mar del Sur", "Piña Dorada",
    "Montaña Verde", "Tres Ríos", "San Martín", "Santa Fe", "Omega", "Delta", "Vértice",
    "Cúspide", "Brisas", "Palmar", "Cañaveral", "El Roble", "La Ceiba", "Guayacán", "Volcán Barú",
    "Arco Iris", "Puerto Nuevo", "Altamira", "Buenaventura", "Solaris", "Vista Hermosa",
)  # fmt: skip
SHOP_NAMES: tuple[str, ...] = (
    "El Progreso", "La Económica", "San José", "La Esperanza", "El Constructor", "El Ahorro",
    "La Popular", "Santa Ana", "La Fe", "El Sol", "Nuevo Amanecer", "Los Ángeles", "La Estrella",
    "El Porvenir", "Santa Rita", "Metro", "Central", "del Pueblo", "La Familia", "El Buen Precio",
    "La Peña", "El Cañón", "La Niña", "San Judas", "Milagrosa", "El Triunfo", "Don Goyo",
)  # fmt: skip
# Extra place words for names like "Agroindustrias Chiriquí" besides the account's own province.
REGION_WORDS: dict[str, tuple[str, ...]] = {
    "PA": ("Panamá", "Chiriquí", "Azuero", "Veraguas", "Coclé", "Colón", "Bocas", "Darién",
           "Herrera", "Los Santos", "Barú", "Chagres"),
    "CO": ("Antioquia", "del Caribe", "Santander", "del Valle", "Andina", "Cundinamarca"),
    "CR": ("Guanacaste", "Central", "Tica", "del Valle", "Talamanca"),
    "MX": ("del Bajío", "Azteca", "del Norte", "Maya", "Jalisco", "del Golfo"),
    "EC": ("Andina", "del Pacífico", "Amazónica", "Pichincha", "Guayas"),
    "PE": ("Andina", "del Sur", "Inca", "Norteña", "del Pacífico"),
    "GT": ("Maya", "del Altiplano", "Quetzal", "Chapina"),
    "DO": ("Caribeña", "del Cibao", "Quisqueya", "Antillana"),
    "CL": ("Austral", "Andina", "del Pacífico", "Patagónica"),
}  # fmt: skip


@dataclass(frozen=True)
class NamePattern:
    template: str  # placeholders: {apellido} {apellido2} {marca} {tienda} {lugar} {ciudad} ...
    activities: tuple[str, ...]  # ISIC Rev.4 / CIIU divisions that fit the name
    suffix: bool = True  # companies carry "S.A."; municipalities and cooperatives do not


# Patterns per customer-type code, weighted so the list reads like a real ledger.
_PATTERNS: dict[str, Weighted[NamePattern]] = {
    "CORP": Weighted(
        [
            (NamePattern("Grupo {apellido}", ("70", "64")), 12),
            (NamePattern("Inversiones {marca}", ("64", "68")), 12),
            (NamePattern("Corporación {marca}", ("70",)), 6),
            (NamePattern("Constructora {apellido} & Asociados", ("41",)), 6),
            (NamePattern("Constructora {marca}", ("41", "42")), 6),
            (NamePattern("Inmobiliaria {marca}", ("68",)), 6),
            (NamePattern("Agroindustrias {lugar}", ("01", "10")), 6),
            (NamePattern("Transportes {apellido}", ("49",)), 6),
            (NamePattern("Logística {marca}", ("52",)), 5),
            (NamePattern("Hotel Vista {lugar}", ("55",)), 4),
            (NamePattern("Seguros {marca}", ("65",)), 3),
            (NamePattern("Naviera {marca}", ("50",)), 2),
            (NamePattern("Industrias {apellido}", ("10", "22", "25")), 6),
            (NamePattern("Embotelladora {lugar}", ("11",)), 2),
            (NamePattern("{marca} Tecnologías", ("62",)), 5),
            (NamePattern("Energía Solar {lugar}", ("35",)), 3),
            (NamePattern("Clínica {marca}", ("86",)), 3),
        ]
    ),
    "PYME": Weighted(
        [
            (NamePattern("Ferretería {tienda}", ("47",)), 10),
            (NamePattern("Farmacia {tienda}", ("47",)), 8),
            (NamePattern("Panadería y Dulcería {tienda}", ("10", "47")), 5),
            (NamePattern("Restaurante {tienda}", ("56",)), 7),
            (NamePattern("Taller Mecánico {apellido}", ("45",)), 5),
            (NamePattern("Mini Súper {tienda}", ("47",)), 8),
            (NamePattern("Consultores {apellido} y {apellido2}", ("69", "70")), 5),
            (NamePattern("Estudio Jurídico {apellido} & {apellido2}", ("69",)), 4),
            (NamePattern("Clínica Dental {tienda}", ("86",)), 3),
            (NamePattern("Lavandería {tienda}", ("96",)), 2),
            (NamePattern("Librería {tienda}", ("47",)), 2),
            (NamePattern("Óptica {tienda}", ("47",)), 2),
            (NamePattern("Academia de Idiomas {marca}", ("85",)), 2),
            (NamePattern("Veterinaria {tienda}", ("75",)), 2),
            (NamePattern("Soluciones Informáticas {marca}", ("62",)), 3),
            (NamePattern("Imprenta {apellido}", ("18",)), 2),
            (NamePattern("Mueblería {tienda}", ("31", "47")), 2),
            (NamePattern("Agencia de Viajes {marca}", ("79",)), 2),
            (NamePattern("Publicidad {marca}", ("73",)), 2),
            (NamePattern("Floristería {tienda}", ("47",)), 1),
        ]
    ),
    "DIST": Weighted(
        [
            (NamePattern("Distribuidora {apellido}", ("46",)), 12),
            (NamePattern("Importadora {marca}", ("46",)), 6),
            (NamePattern("Comercializadora {lugar}", ("46",)), 5),
            (NamePattern("Distribuidora de Alimentos {marca}", ("46",)), 4),
            (NamePattern("Suministros Médicos {marca}", ("46",)), 3),
            (NamePattern("Materiales de Construcción {apellido}", ("46",)), 3),
            (NamePattern("Importaciones y Exportaciones {apellido}", ("46",)), 3),
            (NamePattern("Distribuidora Agrícola {lugar}", ("46",)), 2),
        ]
    ),
    "GOB": Weighted(
        [
            (NamePattern("{municipio} {ciudad}", ("84",), suffix=False), 5),
            (NamePattern("Hospital Regional de {ciudad}", ("86",), suffix=False), 2),
            (NamePattern("Instituto Técnico de {ciudad}", ("85",), suffix=False), 2),
            (NamePattern("Junta Comunal de {corregimiento}", ("84",), suffix=False), 2),
        ]
    ),
    "ONG": Weighted(
        [
            (NamePattern("Fundación {apellido}", ("94", "88"), suffix=False), 4),
            (NamePattern("Fundación {marca}", ("88",), suffix=False), 3),
            (NamePattern("Asociación de Productores de {lugar}", ("94",), suffix=False), 2),
            (NamePattern("Asociación de Comerciantes de {ciudad}", ("94",), suffix=False), 2),
            (
                NamePattern("Cooperativa de Ahorro y Crédito {marca}, R.L.", ("64",), suffix=False),
                2,
            ),
        ]
    ),
}

# How a local government calls itself in each country ("Municipio de David").
MUNICIPALITY: dict[str, str] = {
    "PA": "Municipio de", "CO": "Alcaldía de", "CR": "Municipalidad de",
    "MX": "Gobierno Municipal de", "EC": "GAD Municipal de", "PE": "Municipalidad Provincial de",
    "GT": "Municipalidad de", "DO": "Ayuntamiento de", "CL": "Municipalidad de",
}  # fmt: skip

# Company-type suffixes as each country writes them.
LEGAL_SUFFIXES: dict[str, Weighted[str]] = {
    "PA": Weighted([(" S.A.", 60), (", S.A.", 25), (" Corp.", 8), (" Inc.", 7)]),
    "CO": Weighted([(" S.A.S.", 60), (" S.A.", 20), (" Ltda.", 20)]),
    "CR": Weighted([(" S.A.", 70), (" S.R.L.", 30)]),
    "MX": Weighted([(" S.A. de C.V.", 70), (" S. de R.L. de C.V.", 20), (" S.A.P.I. de C.V.", 10)]),
    "EC": Weighted([(" S.A.", 50), (" Cía. Ltda.", 50)]),
    "PE": Weighted([(" S.A.C.", 55), (" S.A.", 20), (" E.I.R.L.", 10), (" S.R.L.", 15)]),
    "GT": Weighted([(", S.A.", 60), (" S.A.", 25), (", Sociedad Anónima", 15)]),
    "DO": Weighted([(" S.R.L.", 60), (" S.A.", 25), (" S.A.S.", 15)]),
    "CL": Weighted([(" SpA", 45), (" Ltda.", 30), (" S.A.", 25)]),
}

# ── E-mail and web ──────────────────────────────────────────────────────────────────────────────

COMPANY_TLD: dict[str, Weighted[str]] = {
    "PA": Weighted([("com.pa", 55), ("com", 40), ("net", 5)]),
    "CO": Weighted([("com.co", 60), ("co", 25), ("com", 15)]),
    "CR": Weighted([("co.cr", 50), ("cr", 20), ("com", 30)]),
    "MX": Weighted([("com.mx", 70), ("mx", 10), ("com", 20)]),
    "EC": Weighted([("com.ec", 70), ("ec", 10), ("com", 20)]),
    "PE": Weighted([("com.pe", 70), ("pe", 15), ("com", 15)]),
    "GT": Weighted([("com.gt", 75), ("com", 25)]),
    "DO": Weighted([("com.do", 75), ("com", 25)]),
    "CL": Weighted([("cl", 80), ("com", 20)]),
}
GOV_TLD: dict[str, str] = {
    "PA": "gob.pa", "CO": "gov.co", "CR": "go.cr", "MX": "gob.mx", "EC": "gob.ec",
    "PE": "gob.pe", "GT": "gob.gt", "DO": "gob.do", "CL": "gob.cl",
}  # fmt: skip
FREE_MAIL = Weighted(
    [("gmail.com", 50), ("hotmail.com", 25), ("yahoo.com", 8), ("outlook.com", 12),
     ("icloud.com", 5)]
)  # fmt: skip
_COMPANY_MAILBOX = Weighted(
    [("info", 30), ("ventas", 25), ("contabilidad", 10), ("compras", 10), ("administracion", 10),
     ("facturacion", 10), ("", 15)]  # "": the contact's own address
)  # fmt: skip
_DOMAIN_STOPWORDS = frozenset({"de", "del", "la", "las", "el", "los", "y", "e", "r.l."})
_MAX_DOMAIN_LABEL = 30

# ── Phones ──────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class PhonePlan:
    calling_code: str
    landline_length: int  # digits of the national significant number
    mobile_prefixes: tuple[str, ...]
    mobile_length: int


PHONE_PLANS: dict[str, PhonePlan] = {
    "PA": PhonePlan("507", 7, ("6",), 8),
    "CO": PhonePlan("57", 10, ("300", "301", "310", "311", "312", "315", "320"), 10),
    "CR": PhonePlan("506", 8, ("6", "7", "8"), 8),
    "MX": PhonePlan("52", 10, ("55", "33", "81"), 10),
    "EC": PhonePlan("593", 8, ("99", "98", "96"), 9),
    "PE": PhonePlan("51", 8, ("9",), 9),
    "GT": PhonePlan("502", 8, ("3", "4", "5"), 8),
    "DO": PhonePlan("1", 10, ("809", "829", "849"), 10),
    "CL": PhonePlan("56", 9, ("9",), 9),
}

# ── Commercial terms ────────────────────────────────────────────────────────────────────────────

_LEGAL_TYPES = Weighted([("CORP", 23), ("PYME", 50), ("DIST", 18), ("GOB", 4), ("ONG", 5)])
_NATURAL_TYPES = Weighted([("CF", 85), ("PYME", 15)])
_NATURAL_ACTIVITIES = Weighted([("", 70), ("47", 12), ("96", 6), ("69", 5), ("86", 4), ("49", 3)])
_STATUSES = Weighted(
    [(Account.Status.ACTIVE, 86), (Account.Status.INACTIVE, 8), (Account.Status.RESTRICTED, 3),
     (Account.Status.SUSPENDED, 3)]
)  # fmt: skip
_PRIORITIES: dict[str, Weighted[Account.Priority]] = {
    "high": Weighted(
        [(Account.Priority.LOW, 5), (Account.Priority.MEDIUM, 40), (Account.Priority.HIGH, 40),
         (Account.Priority.CRITICAL, 15)]
    ),
    "normal": Weighted(
        [(Account.Priority.LOW, 25), (Account.Priority.MEDIUM, 55), (Account.Priority.HIGH, 15),
         (Account.Priority.CRITICAL, 5)]
    ),
}  # fmt: skip
CREDIT_DAYS: tuple[int, ...] = (15, 30, 45, 60, 90)
_CREDIT_DAYS = Weighted(list(zip(CREDIT_DAYS, (15, 45, 15, 15, 10), strict=True)))
# Per customer type: share on credit, and the credit limit range and rounding step (USD).
_CREDIT_TERMS: dict[str, tuple[float, int, int, int]] = {
    "CORP": (0.6, 10_000, 250_000, 5_000),
    "PYME": (0.4, 1_000, 30_000, 500),
    "DIST": (0.6, 5_000, 150_000, 2_500),
    "GOB": (0.7, 20_000, 500_000, 10_000),
    "ONG": (0.2, 1_000, 10_000, 500),
    "CF": (0.15, 200, 3_000, 100),
}
_PRICE_LISTS: dict[str, Weighted[str]] = {
    "DIST": Weighted([("MAY", 70), ("GEN", 20), ("", 10)]),
    "GOB": Weighted([("GOB", 80), ("GEN", 10), ("", 10)]),
}
_DEFAULT_PRICE_LIST = Weighted([("GEN", 70), ("MAY", 5), ("", 25)])
RECEIVABLES_LEDGER = "1.1.03"


# ── Rows ────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """One account's values; catalogs by code and the salesperson by username."""

    number: int  # the code's sequence number: C-000042 is 42
    person_kind: str
    name: str
    tax_id: str
    tax_dv: str
    contact_name: str
    email: str
    phone: str  # E.164
    phone_alt: str
    mobile: str
    website: str
    address: str
    city: str
    state: str
    country: str
    customer_type: str
    priority: str
    economic_activity: str  # "" when none
    price_list: str
    taxable: bool
    status: str
    salesperson: str
    payment_terms: str
    credit_days: int
    credit_limit: Decimal
    ledger_account: str
    is_supplier: bool


def build_demo_rows(
    count: int,
    seed: int = DEFAULT_SEED,
    *,
    start: int = 1,
    taken: set[tuple[str, str]] | None = None,
) -> list[DemoAccount]:
    """`count` accounts numbered from `start`; the same arguments always give the same rows.

    `taken` holds the (country, tax_id) pairs already in use; the new ones are added to it, so
    tax ids never repeat within a call nor against it. Tax ids derive from the code number, so
    consecutive runs (which get consecutive numbers) rarely need a second draw.
    """
    return list(iter_demo_rows(count, seed, start=start, taken=taken))


def iter_demo_rows(
    count: int,
    seed: int = DEFAULT_SEED,
    *,
    start: int = 1,
    taken: set[tuple[str, str]] | None = None,
) -> Iterator[DemoAccount]:
    """build_demo_rows() one row at a time, so a large run never holds every row at once."""
    if count < 0:
        raise ValueError("count must not be negative")
    # The start is part of the seed, so a second run with the same seed adds new names
    # instead of repeating the first run's.
    rng = random.Random(f"clientela-demo:{seed}:{start}")
    used = taken if taken is not None else set()
    for number in range(start, start + count):
        yield _build_row(rng, number, used)


def _other(rng: random.Random, names: Sequence[str], taken: str) -> str:
    """A name from `names` other than `taken`: no "Inés Inés", no "Pérez Pérez"."""
    choice = rng.choice(names)
    while choice == taken:
        choice = rng.choice(names)
    return choice


def _build_row(rng: random.Random, number: int, taken: set[tuple[str, str]]) -> DemoAccount:
    country = COUNTRIES.pick(rng)
    place = _PANAMA_PLACE.pick(rng) if country == "PA" else rng.choice(OTHER_PLACES[country])
    legal = rng.random() < 0.75
    given_names = FEMALE_NAMES if rng.random() < 0.5 else MALE_NAMES
    contact_first, contact_last = rng.choice(given_names), rng.choice(SURNAMES)
    if legal:
        customer_type = _LEGAL_TYPES.pick(rng)
        name, domain_words, activity = _company_name(rng, country, customer_type, place)
        contact_name = f"{_TITLES.pick(rng)}{contact_first} {contact_last}"
    else:
        customer_type = _NATURAL_TYPES.pick(rng)
        second = f" {_other(rng, given_names, contact_first)}" if rng.random() < 0.3 else ""
        name = f"{contact_first}{second} {contact_last} {_other(rng, SURNAMES, contact_last)}"
        domain_words, activity, contact_name = [], _NATURAL_ACTIVITIES.pick(rng), ""
    holder = _Holder(country, legal, customer_type, name, place.region_code)
    tax_id, tax_dv = _unique_tax_id(rng, holder, number, taken)
    email, website = _email_and_website(
        rng, country, customer_type, domain_words, contact_first, contact_last
    )
    phone, phone_alt, mobile = _phones(rng, country, place, legal)
    share, low, high, step = _CREDIT_TERMS[customer_type]
    on_credit = rng.random() < share
    return DemoAccount(
        number=number,
        person_kind=Account.PersonKind.LEGAL if legal else Account.PersonKind.NATURAL,
        name=name,
        tax_id=tax_id,
        tax_dv=tax_dv,
        contact_name=contact_name,
        email=email,
        phone=phone,
        phone_alt=phone_alt,
        mobile=mobile,
        website=website,
        address=_address(rng, country, place) if rng.random() < 0.85 else "",
        city=place.city,
        state=place.state,
        country=country,
        customer_type=customer_type,
        priority=_PRIORITIES["high" if customer_type in {"CORP", "GOB"} else "normal"].pick(rng),
        economic_activity=activity,
        price_list=_PRICE_LISTS.get(customer_type, _DEFAULT_PRICE_LIST).pick(rng),
        taxable=rng.random() < (0.35 if customer_type in {"GOB", "ONG"} else 0.95),
        status=_STATUSES.pick(rng),
        salesperson=_SALES_SHARE.pick(rng),
        payment_terms=Account.PaymentTerms.CREDIT if on_credit else Account.PaymentTerms.CASH,
        credit_days=_CREDIT_DAYS.pick(rng) if on_credit else 0,
        credit_limit=Decimal(rng.randrange(low, high + 1, step)) if on_credit else Decimal(0),
        ledger_account=RECEIVABLES_LEDGER if rng.random() < 0.92 else "",
        is_supplier=rng.random() < (0.25 if customer_type == "DIST" else 0.08),
    )


# ── Names, e-mail, addresses ────────────────────────────────────────────────────────────────────

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _company_name(
    rng: random.Random, country: str, customer_type: str, place: Place
) -> tuple[str, list[str], str]:
    """(name, words for the e-mail domain, economic activity division)."""
    pattern = _PATTERNS[customer_type].pick(rng)
    if "{corregimiento}" in pattern.template and place.city != "Ciudad de Panamá":
        pattern = NamePattern("{municipio} {ciudad}", ("84",), suffix=False)
    if "{tienda}" in pattern.template and rng.random() < 0.15:
        shop = rng.choice((f"Don {rng.choice(MALE_NAMES)}", f"Doña {rng.choice(FEMALE_NAMES)}"))
    else:
        shop = rng.choice(SHOP_NAMES)
    values = {
        "apellido": rng.choice(SURNAMES),
        "apellido2": rng.choice(SURNAMES),
        "marca": rng.choice(BRANDS),
        "tienda": shop,
        "lugar": rng.choice((place.state, *REGION_WORDS[country])),
        # "Municipio de Panamá", not "Municipio de Ciudad de Panamá".
        "ciudad": place.city.removeprefix("Ciudad de "),
        "corregimiento": rng.choice(CORREGIMIENTOS),
        "municipio": MUNICIPALITY[country],
    }
    base = _PLACEHOLDER.sub(lambda match: values[match[1]], pattern.template)
    suffix = LEGAL_SUFFIXES[country].pick(rng) if pattern.suffix else ""
    words = [word for word in ascii_fold(base).lower().split() if word not in _DOMAIN_STOPWORDS]
    return f"{base}{suffix}", words, rng.choice(pattern.activities)


def ascii_fold(text: str) -> str:
    """'Peña Núñez' -> 'Pena Nunez': e-mail addresses and RFC letters are plain ASCII."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and not unicodedata.combining(ch))


def _slug(words: Sequence[str]) -> str:
    # Leading words go first when the label is too long: they are the generic ones
    # ("importaciones y exportaciones"), the last ones tell companies apart ("castillo").
    kept = [re.sub(r"[^a-z0-9]", "", word) for word in words]
    kept = [word for word in kept if word]
    while len(kept) > 1 and len("".join(kept)) > _MAX_DOMAIN_LABEL:
        kept.pop(0)
    return "".join(kept)[:_MAX_DOMAIN_LABEL] or "empresa"


def _person_mailbox(rng: random.Random, first: str, last: str) -> str:
    first_ascii = re.sub(r"[^a-z]", "", ascii_fold(first).lower())
    last_ascii = re.sub(r"[^a-z]", "", ascii_fold(last).lower())
    style = rng.randrange(4)
    if style == 0:
        return f"{first_ascii}.{last_ascii}"
    if style == 1:
        return f"{first_ascii[0]}{last_ascii}"
    if style == 2:
        return f"{first_ascii}.{last_ascii}{rng.randrange(1, 100)}"
    return f"{first_ascii}{last_ascii}{rng.randrange(60, 100)}"


def _email_and_website(
    rng: random.Random,
    country: str,
    customer_type: str,
    domain_words: list[str],
    first: str,
    last: str,
) -> tuple[str, str]:
    if not domain_words:  # a natural person: a personal mailbox
        return f"{_person_mailbox(rng, first, last)}@{FREE_MAIL.pick(rng)}", ""
    label = _slug(domain_words)
    if customer_type == "PYME" and rng.random() < 0.25:
        # Many small businesses never buy a domain.
        return f"{label}@{FREE_MAIL.pick(rng)}", ""
    if customer_type == "GOB":
        tld = GOV_TLD[country]
    elif customer_type == "ONG":
        tld = rng.choice(("org", f"org.{country.lower()}"))
    else:
        tld = COMPANY_TLD[country].pick(rng)
    domain = f"{label}.{tld}"
    mailbox = _COMPANY_MAILBOX.pick(rng) or _person_mailbox(rng, first, last)
    website = f"https://www.{domain}" if rng.random() < 0.5 else ""
    return f"{mailbox}@{domain}", website


def _address(rng: random.Random, country: str, place: Place) -> str:
    if country == "PA":
        street = rng.choice(PANAMA_STREETS[place.city])
        style = rng.randrange(4)
        if style == 0:
            building = rng.choice(PANAMA_BUILDINGS)
            return f"{street}, {building}, Piso {rng.randint(1, 40)}, Oficina {rng.randint(1, 20)}"
        if style == 1:
            return f"{street}, {rng.choice(PANAMA_BUILDINGS)}, Local {rng.randint(1, 120)}"
        if style == 2:
            return f"{street}, Casa {rng.randint(1, 300)}"
        return f"{street}, Galera {rng.randint(1, 40)}"
    if country == "CO":
        road = rng.choice(("Calle", "Carrera", "Avenida Calle", "Transversal", "Diagonal"))
        return f"{road} {rng.randint(1, 150)} # {rng.randint(1, 99)}-{rng.randint(1, 99)}"
    if country == "CR":
        meters = rng.choice((50, 100, 150, 200, 300, 400))
        side = rng.choice(("norte", "sur", "este", "oeste"))
        return f"{rng.choice(COSTA_RICA_LANDMARKS)}, {meters} m al {side}"
    if country == "GT":
        return (
            f"{rng.randint(1, 20)}a. Avenida {rng.randint(1, 30)}-{rng.randint(10, 99)}, "
            f"Zona {rng.choice((1, 4, 9, 10, 13, 14, 15))}"
        )
    return f"{rng.choice(OTHER_STREETS[country])} {rng.randint(10, 3000)}"


# ── Phones ──────────────────────────────────────────────────────────────────────────────────────


_VALID_HEADS: dict[tuple[str, str], bool] = {}


def phone_is_valid(calling_code: str, national: str) -> bool:
    """phonenumbers' validity, remembered per number without its last three digits:
    numbering plans allot numbers in blocks by their leading digits (checked for every
    plan the generator uses, all thousand endings of sampled blocks), and validating
    each of millions of numbers was a fifth of the seeding time."""
    key = (calling_code, national[:-3])
    valid = _VALID_HEADS.get(key)
    if valid is None:
        # Built directly rather than parsed: the prefixes never start with 0, so the
        # national number is exactly these digits.
        number = phonenumbers.PhoneNumber(
            country_code=int(calling_code), national_number=int(national)
        )
        valid = _VALID_HEADS[key] = phonenumbers.is_valid_number(number)
    return valid


_TRUNKS: dict[tuple[str, str], str] = {}


def national_digits(calling_code: str, national: str) -> str:
    """The digits of the number as the country writes it at home ('0' first in Peru's
    '(01) …'): phone_variants' second term, with the national format looked up once per
    country and leading digits instead of once per number."""
    key = (calling_code, national[:3])
    if key not in _TRUNKS:
        number = phonenumbers.PhoneNumber(
            country_code=int(calling_code), national_number=int(national)
        )
        formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        digits = "".join(ch for ch in formatted if ch.isdigit())
        _TRUNKS[key] = digits[: len(digits) - len(national)] if digits.endswith(national) else ""
    return _TRUNKS[key] + national


def _valid_phone(rng: random.Random, calling_code: str, prefix: str, length: int) -> str:
    """An E.164 number the phone plan accepts; random digits after the prefix until it does."""
    rest = length - len(prefix)
    for _attempt in range(100):
        national = f"{prefix}{rng.randrange(10**rest):0{rest}d}"
        if phone_is_valid(calling_code, national):
            return f"+{calling_code}{national}"
    raise RuntimeError(f"no valid phone number with prefix +{calling_code} {prefix}")


def _landline(rng: random.Random, country: str, place: Place) -> str:
    plan = PHONE_PLANS[country]
    return _valid_phone(
        rng, plan.calling_code, rng.choice(place.landline_prefixes), plan.landline_length
    )


def _mobile(rng: random.Random, country: str) -> str:
    plan = PHONE_PLANS[country]
    return _valid_phone(
        rng, plan.calling_code, rng.choice(plan.mobile_prefixes), plan.mobile_length
    )


def _phones(rng: random.Random, country: str, place: Place, legal: bool) -> tuple[str, str, str]:
    if legal:
        phone = _landline(rng, country, place) if rng.random() < 0.75 else _mobile(rng, country)
        phone_alt = _landline(rng, country, place) if rng.random() < 0.25 else ""
        mobile = _mobile(rng, country) if rng.random() < 0.45 else ""
    else:
        phone = _mobile(rng, country) if rng.random() < 0.85 else _landline(rng, country, place)
        phone_alt = _landline(rng, country, place) if rng.random() < 0.1 else ""
        mobile = _mobile(rng, country) if rng.random() < 0.25 else ""
    return phone, phone_alt, mobile


# ── Tax ids ─────────────────────────────────────────────────────────────────────────────────────

# A prime larger than every space below: n -> n * _SCATTER mod space is then a bijection, so
# distinct code numbers give distinct, unordered-looking serials.
_SCATTER = 2_654_435_761


def _scatter(serial: int, space: int) -> int:
    return (serial * _SCATTER) % space


_PA_FOLIO_DIGITS = Weighted([(6, 5), (7, 15), (8, 30), (9, 50)])
_PA_TOMO_DIGITS = Weighted([(1, 75), (2, 15), (3, 7), (4, 3)])
_PA_CEDULA_FORM = Weighted([("", 88), ("E", 6), ("N", 3), ("PE", 3)])
_CEDULA_ASIENTOS = 9_999
# Three-digit tomos at most: taxid.py has no DV for a PE cédula with a longer one.
_CEDULA_TOMOS = 999


def _panama_legal(rng: random.Random, serial: int) -> str:
    # Modern legal RUC: folio-tomo-year of the public-registry entry (155596713-2-2015).
    digits = _PA_FOLIO_DIGITS.pick(rng)
    floor = 10 ** (digits - 1)
    folio = floor + _scatter(serial, 9 * floor)
    tomo_digits = _PA_TOMO_DIGITS.pick(rng)
    tomo = rng.randrange(10 ** (tomo_digits - 1), 10**tomo_digits)
    return f"{folio}-{tomo}-{rng.randint(2000, 2025)}"


def _panama_natural(rng: random.Random, serial: int, province: str) -> str:
    index = _scatter(serial, _CEDULA_TOMOS * _CEDULA_ASIENTOS)
    tomo, asiento = index // _CEDULA_ASIENTOS + 1, index % _CEDULA_ASIENTOS + 1
    form = _PA_CEDULA_FORM.pick(rng)
    if form == "":
        # Most people carry the cédula of the province they live in, not all.
        form = province if rng.random() < 0.7 else str(rng.randint(1, 13))
    return f"{form}-{tomo}-{asiento}"


def _colombia(rng: random.Random, serial: int, legal: bool) -> str:
    if legal:  # companies: NIT 800.000.000 to 901.999.999 and its DV
        body = 800_000_000 + _scatter(serial, 102_000_000)
        return f"{body}-{co_nit.calc_check_digit(str(body))}"
    # People: the cédula de ciudadanía itself, which has no DV.
    if rng.random() < 0.6:  # older cédulas: eight digits
        return str(10_000_000 + _scatter(serial, 90_000_000))
    return str(1_000_000_000 + _scatter(serial, 200_000_000))


def _costa_rica(rng: random.Random, serial: int, legal: bool, customer_type: str) -> str:
    if not legal:  # cédula física: province-tomo-asiento
        index = _scatter(serial, 9_999 * 9_999)
        tomo, asiento = index // 9_999 + 1, index % 9_999 + 1
        return f"{rng.randint(1, 7)}-{tomo:04d}-{asiento:04d}"
    if customer_type == "GOB":
        kind = rng.choice(("2-100", "2-300"))
    elif customer_type == "ONG":
        kind = rng.choice(("3-002", "3-006"))
    else:
        kind = "3-101" if rng.random() < 0.7 else "3-102"
    return f"{kind}-{_scatter(serial, 1_000_000):06d}"


_RFC_HOMOCLAVE_1 = "123456789ABCDEFGHIJKLMNPQRSTUV"
_RFC_HOMOCLAVE_2 = "123456789ABCDEFGHIJKLMNPQRSTUVWXYZ"
_RFC_LETTERS_STOPWORDS = _DOMAIN_STOPWORDS | {"s.a.", "c.v.", "s.", "r.l.", "sa", "cv"}
_RFC_BAD_WORDS = frozenset(
    {"BUEI", "BUEY", "CACA", "CACO", "CAGA", "CAGO", "CAKA", "CAKO", "COGE", "COJA", "COJE", "COJI",
     "COJO", "CULO", "FETO", "GUEY", "JOTO", "KACA", "KACO", "KAGA", "KAGO", "KAKA", "KOGE", "KOJO",
     "KULO", "MAME", "MAMO", "MEAR", "MEAS", "MEON", "MION", "MOCO", "MULA", "PEDA", "PEDO", "PENE",
     "PUTA", "PUTO", "QULO", "RATA", "RUIN"}
)  # fmt: skip


def _rfc_letters(name: str, legal: bool) -> str:
    words = [
        re.sub(r"[^A-Z]", "", word)
        for word in ascii_fold(name).upper().split()
        if word.lower() not in _RFC_LETTERS_STOPWORDS
    ]
    words = [word for word in words if word] or ["XXX"]
    if legal:  # initials of the first three words, filled from the last one
        letters = "".join(word[0] for word in words[:3])
        return (letters + words[-1][1:] + "XXX")[:3]
    # Person: paternal surname's initial and first inner vowel, maternal initial, given initial.
    given, paternal, maternal = words[0], words[-2] if len(words) > 2 else words[-1], words[-1]
    vowel = next((ch for ch in paternal[1:] if ch in "AEIOU"), "X")
    letters = f"{paternal[0]}{vowel}{maternal[0]}{given[0]}"
    # The SAT replaces the last letter of a rude word with an X.
    return f"{letters[:3]}X" if letters in _RFC_BAD_WORDS else letters


def _mexico(rng: random.Random, serial: int, legal: bool, name: str) -> str:
    letters = _rfc_letters(name, legal)
    year = rng.randint(1985, 2024) if legal else rng.randint(1955, 2003)
    # Day at most 28: stdnum checks the date against year 20YY, where 29 February may not exist.
    date = f"{year % 100:02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    index = _scatter(serial, len(_RFC_HOMOCLAVE_1) * len(_RFC_HOMOCLAVE_2))
    homoclave = (
        _RFC_HOMOCLAVE_1[index // len(_RFC_HOMOCLAVE_2)]
        + _RFC_HOMOCLAVE_2[index % len(_RFC_HOMOCLAVE_2)]
    )
    body = f"{letters}{date}{homoclave}"
    return f"{body}{mx_rfc.calc_check_digit(body)}"


def _mod11_complement(digits: str, weights: Sequence[int]) -> int:
    """The digit d (weight 1) that makes sum(weights * digits) + d divisible by 11; 10 if none."""
    return -sum(weight * int(digit) for weight, digit in zip(weights, digits, strict=True)) % 11


def _ecuador(
    rng: random.Random, serial: int, legal: bool, customer_type: str, province: str
) -> str:
    # python-stdnum has no calc_check_digit for Ecuador, so the SRI checks are inlined. A body
    # whose mod-11 check would be 10 has no valid number: the next body is tried.
    index = _scatter(serial, 1_000_000)
    if not legal:  # a person: the cédula (mod 10, weights 2-1)
        body = f"{province}{rng.randrange(6)}{index:06d}"
        total = sum(
            _fold_ci(weight * int(digit)) for weight, digit in zip(_CI_WEIGHTS, body, strict=True)
        )
        # A consumer gives the cédula; a person in business the RUC, cédula + establishment.
        return f"{body}{-total % 10}" + ("" if customer_type == "CF" else "001")
    for step in range(100):
        if customer_type == "GOB":  # public entity: third digit 6, check at the ninth digit
            body = f"{province}6{(index + step) % 100_000:05d}"
            check = _mod11_complement(body, (3, 2, 7, 6, 5, 4, 3, 2))
            if check < 10:
                return f"{body}{check}0001"
        else:  # private company: third digit 9, check at the tenth digit
            body = f"{province}9{(index + step) % 1_000_000:06d}"
            check = _mod11_complement(body, (4, 3, 2, 7, 6, 5, 4, 3, 2))
            if check < 10:
                return f"{body}{check}001"
    raise RuntimeError("no valid Ecuador RUC")  # unreachable: 10 in 11 bodies have a check


_CI_WEIGHTS = (2, 1, 2, 1, 2, 1, 2, 1, 2)


def _fold_ci(product: int) -> int:
    return product - 9 if product > 9 else product


def _peru(serial: int, legal: bool, customer_type: str) -> str:
    if legal:
        body = f"20{_scatter(serial, 10**8):08d}"
    else:
        dni = f"{10**7 + _scatter(serial, 7 * 10**7)}"
        if customer_type == "CF":  # a consumer: the DNI
            return dni
        body = f"10{dni}"  # a person in business: RUC 10 + the DNI
    return f"{body}{pe_ruc.calc_check_digit(body)}"


# RENAP's department codes with how many municipalities each has (own_validators has the rest).
_GT_PLACES = ((1, 17), (9, 24), (3, 16), (5, 14), (17, 14), (12, 30))


def _guatemala(rng: random.Random, serial: int, legal: bool, customer_type: str) -> str:
    if not legal and customer_type == "CF":  # a consumer: the CUI of the DPI
        digits = f"{10**7 + _scatter(serial, 9 * 10**7)}"
        department, municipalities = rng.choice(_GT_PLACES)
        place = f"{department:02d}{rng.randint(1, municipalities):02d}"
        return f"{digits}{gt_cui_check_digit(digits)}{place}"
    # Companies and people in business share the NIT; lengths keep the two ranges apart.
    body = 10**6 + _scatter(serial, 9 * 10**6) if legal else 10**7 + _scatter(serial, 9 * 10**7)
    return f"{body}-{gt_nit.calc_check_digit(str(body))}"


def _dominican(rng: random.Random, serial: int, legal: bool, customer_type: str) -> str:
    if legal:  # RNC: 1 for companies, 4 for the state
        body = f"{4 if customer_type == 'GOB' else 1}{_scatter(serial, 10**7):07d}"
        return f"{body}{do_rnc.calc_check_digit(body)}"
    # Cédula: issuing office, sequence, Luhn digit.
    body = f"{rng.choice(('001', '031', '402', '223', '026'))}{_scatter(serial, 10**7):07d}"
    return f"{body}{luhn.calc_check_digit(body)}"


def _chile(serial: int, legal: bool) -> str:
    # Companies got RUTs from 76 million on; people's run from about 5 to 25 million.
    body = (
        76_000_000 + _scatter(serial, 2 * 10**6)
        if legal
        else 5 * 10**6 + _scatter(serial, 20 * 10**6)
    )
    return f"{body}-{cl_rut.calc_check_digit(str(body))}"


@dataclass(frozen=True)
class _Holder:
    """Who the tax id is for: what each country's numbering depends on."""

    country: str
    legal: bool
    customer_type: str
    name: str
    region_code: str


def _raw_tax_id(rng: random.Random, holder: _Holder, serial: int) -> str:
    legal = holder.legal
    match holder.country:
        case "PA":
            if legal:
                return _panama_legal(rng, serial)
            return _panama_natural(rng, serial, holder.region_code)
        case "CO":
            return _colombia(rng, serial, legal)
        case "CR":
            return _costa_rica(rng, serial, legal, holder.customer_type)
        case "MX":
            return _mexico(rng, serial, legal, holder.name)
        case "EC":
            return _ecuador(rng, serial, legal, holder.customer_type, holder.region_code)
        case "PE":
            return _peru(serial, legal, holder.customer_type)
        case "GT":
            return _guatemala(rng, serial, legal, holder.customer_type)
        case "DO":
            return _dominican(rng, serial, legal, holder.customer_type)
        case "CL":
            return _chile(serial, legal)
    raise ValueError(f"no demo tax ids for {holder.country}")


def _unique_tax_id(
    rng: random.Random, holder: _Holder, number: int, taken: set[tuple[str, str]]
) -> tuple[str, str]:
    """(tax_id, tax_dv) exactly as the account form would store them, not yet in `taken`."""
    serial = number
    for _attempt in range(1_000):
        raw = _raw_tax_id(rng, holder, serial)
        kind = Account.PersonKind.LEGAL if holder.legal else Account.PersonKind.NATURAL
        # The form's own normalization for the holder's person kind, so the stored spelling
        # and DV are the ones a user would get (a legal entity's DV in Panama).
        result = validate_tax_id(holder.country, raw, person_kind=kind)
        key = (holder.country, result.number)
        if key not in taken:
            taken.add(key)
            return result.number, result.dv
        # Taken by an account typed in by hand, or a number beyond the scatter's range.
        serial = rng.randrange(1, 10**9)
    raise RuntimeError(f"no free demo tax id for {holder.country}")
