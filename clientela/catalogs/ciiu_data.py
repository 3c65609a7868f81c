"""ISIC Rev.4 / CIIU Rev.4 sections and divisions in Spanish.

Source: UN Statistics Division, official Spanish structure file
"ISIC_Rev_4_spanish_structure.txt"
(https://unstats.un.org/unsd/classifications/Econ/Download/In%20Text/ISIC_Rev_4_Spanish_structure.Txt),
i.e. the Spanish edition of ST/ESA/STAT/SER.M/4/Rev.4 (Naciones Unidas, 2009).
Titles transcribed verbatim; division ranges cross-checked against the English ISIC Rev.4 structure.
"""

from typing import Final

# (code, name, section_code) — sections have section_code == "" ; divisions carry their section letter
SECTIONS: Final[tuple[tuple[str, str], ...]] = (
    ("A", "Agricultura, ganadería, silvicultura y pesca"),
    ("B", "Explotación de minas y canteras"),
    ("C", "Industrias manufactureras"),
    ("D", "Suministro de electricidad, gas, vapor y aire acondicionado"),
    (
        "E",
        "Suministro de agua; evacuación de aguas residuales, gestión de desechos y descontaminación",
    ),
    ("F", "Construcción"),
    (
        "G",
        "Comercio al por mayor y al por menor; reparación de vehículos automotores y motocicletas",
    ),
    ("H", "Transporte y almacenamiento"),
    ("I", "Actividades de alojamiento y de servicio de comidas"),
    ("J", "Información y comunicaciones"),
    ("K", "Actividades financieras y de seguros"),
    ("L", "Actividades inmobiliarias"),
    ("M", "Actividades profesionales, científicas y técnicas"),
    ("N", "Actividades de servicios administrativos y de apoyo"),
    (
        "O",
        "Administración pública y defensa; planes de seguridad social de afiliación obligatoria",
    ),
    ("P", "Enseñanza"),
    ("Q", "Actividades de atención de la salud humana y de asistencia social"),
    ("R", "Actividades artísticas, de entretenimiento y recreativas"),
    ("S", "Otras actividades de servicios"),
    (
        "T",
        "Actividades de los hogares como empleadores; actividades no diferenciadas de los hogares "
        "como productores de bienes y servicios para uso propio",
    ),
    ("U", "Actividades de organizaciones y órganos extraterritoriales"),
)

DIVISIONS: Final[tuple[tuple[str, str, str], ...]] = (
    # A
    ("01", "Agricultura, ganadería, caza y actividades de servicios conexas", "A"),
    ("02", "Silvicultura y extracción de madera", "A"),
    ("03", "Pesca y acuicultura", "A"),
    # B
    ("05", "Extracción de carbón de piedra y lignito", "B"),
    ("06", "Extracción de petróleo crudo y gas natural", "B"),
    ("07", "Extracción de minerales metalíferos", "B"),
    ("08", "Explotación de otras minas y canteras", "B"),
    ("09", "Actividades de servicios de apoyo para la explotación de minas y canteras", "B"),
    # C
    ("10", "Elaboración de productos alimenticios", "C"),
    ("11", "Elaboración de bebidas", "C"),
    ("12", "Elaboración de productos de tabaco", "C"),
    ("13", "Fabricación de productos textiles", "C"),
    ("14", "Fabricación de prendas de vestir", "C"),
    ("15", "Fabricación de productos de cuero y productos conexos", "C"),
    (
        "16",
        "Producción de madera y fabricación de productos de madera y corcho, excepto muebles; "
        "fabricación de artículos de paja y de materiales trenzables",
        "C",
    ),
    ("17", "Fabricación de papel y de productos de papel", "C"),
    ("18", "Impresión y reproducción de grabaciones", "C"),
    ("19", "Fabricación de coque y productos de la refinación del petróleo", "C"),
    ("20", "Fabricación de sustancias y productos químicos", "C"),
    (
        "21",
        "Fabricación de productos farmacéuticos, sustancias químicas medicinales "
        "y productos botánicos de uso farmacéutico",
        "C",
    ),
    ("22", "Fabricación de productos de caucho y de plástico", "C"),
    ("23", "Fabricación de otros productos minerales no metálicos", "C"),
    ("24", "Fabricación de metales comunes", "C"),
    ("25", "Fabricación de productos elaborados de metal, excepto maquinaria y equipo", "C"),
    ("26", "Fabricación de productos de informática, de electrónica y de óptica", "C"),
    ("27", "Fabricación de equipo eléctrico", "C"),
    ("28", "Fabricación de maquinaria y equipo n.c.p.", "C"),
    ("29", "Fabricación de vehículos automotores, remolques y semirremolques", "C"),
    ("30", "Fabricación de otro equipo de transporte", "C"),
    ("31", "Fabricación de muebles", "C"),
    ("32", "Otras industrias manufactureras", "C"),
    ("33", "Reparación e instalación de maquinaria y equipo", "C"),
    # D
    ("35", "Suministro de electricidad, gas, vapor y aire acondicionado", "D"),
    # E
    ("36", "Captación, tratamiento y distribución de agua", "E"),
    ("37", "Evacuación de aguas residuales", "E"),
    (
        "38",
        "Recogida, tratamiento y eliminación de desechos; recuperación de materiales",
        "E",
    ),
    (
        "39",
        "Actividades de descontaminación y otros servicios de gestión de desechos",
        "E",
    ),
    # F
    ("41", "Construcción de edificios", "F"),
    ("42", "Obras de ingeniería civil", "F"),
    ("43", "Actividades especializadas de construcción", "F"),
    # G
    (
        "45",
        "Comercio al por mayor y al por menor y reparación de vehículos automotores y motocicletas",
        "G",
    ),
    (
        "46",
        "Comercio al por mayor, excepto el de vehículos automotores y motocicletas",
        "G",
    ),
    (
        "47",
        "Comercio al por menor, excepto el de vehículos automotores y motocicletas",
        "G",
    ),
    # H
    ("49", "Transporte por vía terrestre y transporte por tuberías", "H"),
    ("50", "Transporte por vía acuática", "H"),
    ("51", "Transporte por vía aérea", "H"),
    ("52", "Almacenamiento y actividades de apoyo al transporte", "H"),
    ("53", "Actividades postales y de mensajería", "H"),
    # I
    ("55", "Actividades de alojamiento", "I"),
    ("56", "Actividades de servicio de comidas y bebidas", "I"),
    # J
    ("58", "Actividades de edición", "J"),
    (
        "59",
        "Actividades de producción de películas cinematográficas, vídeos y programas de "
        "televisión, grabación de sonido y edición de música",
        "J",
    ),
    ("60", "Actividades de programación y transmisión", "J"),
    ("61", "Telecomunicaciones", "J"),
    (
        "62",
        "Programación informática, consultoría de informática y actividades conexas",
        "J",
    ),
    ("63", "Actividades de servicios de información", "J"),
    # K
    (
        "64",
        "Actividades de servicios financieros, excepto las de seguros y fondos de pensiones",
        "K",
    ),
    (
        "65",
        "Seguros, reaseguros y fondos de pensiones, excepto planes de seguridad social "
        "de afiliación obligatoria",
        "K",
    ),
    ("66", "Actividades auxiliares de las actividades de servicios financieros", "K"),
    # L
    ("68", "Actividades inmobiliarias", "L"),
    # M
    ("69", "Actividades jurídicas y de contabilidad", "M"),
    (
        "70",
        "Actividades de oficinas principales; actividades de consultoría de gestión",
        "M",
    ),
    (
        "71",
        "Actividades de arquitectura e ingeniería; ensayos y análisis técnicos",
        "M",
    ),
    ("72", "Investigación científica y desarrollo", "M"),
    ("73", "Publicidad y estudios de mercado", "M"),
    ("74", "Otras actividades profesionales, científicas y técnicas", "M"),
    ("75", "Actividades veterinarias", "M"),
    # N
    ("77", "Actividades de alquiler y arrendamiento", "N"),
    ("78", "Actividades de empleo", "N"),
    (
        "79",
        "Actividades de agencias de viajes y operadores turísticos y servicios de reservas "
        "y actividades conexas",
        "N",
    ),
    ("80", "Actividades de seguridad e investigación", "N"),
    ("81", "Actividades de servicios a edificios y de paisajismo", "N"),
    (
        "82",
        "Actividades administrativas y de apoyo de oficina y otras actividades de apoyo "
        "a las empresas",
        "N",
    ),
    # O
    (
        "84",
        "Administración pública y defensa; planes de seguridad social de afiliación obligatoria",
        "O",
    ),
    # P
    ("85", "Enseñanza", "P"),
    # Q
    ("86", "Actividades de atención de la salud humana", "Q"),
    ("87", "Actividades de atención en instituciones", "Q"),
    ("88", "Actividades de asistencia social sin alojamiento", "Q"),
    # R
    ("90", "Actividades creativas, artísticas y de entretenimiento", "R"),
    (
        "91",
        "Actividades de bibliotecas, archivos y museos y otras actividades culturales",
        "R",
    ),
    ("92", "Actividades de juegos de azar y apuestas", "R"),
    ("93", "Actividades deportivas, de esparcimiento y recreativas", "R"),
    # S
    ("94", "Actividades de asociaciones", "S"),
    (
        "95",
        "Reparación de ordenadores y de efectos personales y enseres domésticos",
        "S",
    ),
    ("96", "Otras actividades de servicios personales", "S"),
    # T
    ("97", "Actividades de los hogares como empleadores de personal doméstico", "T"),
    (
        "98",
        "Actividades no diferenciadas de los hogares como productores de bienes y servicios "
        "para uso propio",
        "T",
    ),
    # U
    ("99", "Actividades de organizaciones y órganos extraterritoriales", "U"),
)

# English titles of the same sections and divisions, shown when the interface is in English.
# Source: UN Statistics Division, ISIC Rev.4 English structure (ST/ESA/STAT/SER.M/4/Rev.4).
ENGLISH_TITLES: Final[dict[str, str]] = {
    "A": "Agriculture, forestry and fishing",
    "B": "Mining and quarrying",
    "C": "Manufacturing",
    "D": "Electricity, gas, steam and air conditioning supply",
    "E": "Water supply; sewerage, waste management and remediation activities",
    "F": "Construction",
    "G": "Wholesale and retail trade; repair of motor vehicles and motorcycles",
    "H": "Transportation and storage",
    "I": "Accommodation and food service activities",
    "J": "Information and communication",
    "K": "Financial and insurance activities",
    "L": "Real estate activities",
    "M": "Professional, scientific and technical activities",
    "N": "Administrative and support service activities",
    "O": "Public administration and defence; compulsory social security",
    "P": "Education",
    "Q": "Human health and social work activities",
    "R": "Arts, entertainment and recreation",
    "S": "Other service activities",
    "T": "Activities of households as employers; undifferentiated goods- and "
    "services-producing activities of households for own use",
    "U": "Activities of extraterritorial organizations and bodies",
    "01": "Crop and animal production, hunting and related service activities",
    "02": "Forestry and logging",
    "03": "Fishing and aquaculture",
    "05": "Mining of coal and lignite",
    "06": "Extraction of crude petroleum and natural gas",
    "07": "Mining of metal ores",
    "08": "Other mining and quarrying",
    "09": "Mining support service activities",
    "10": "Manufacture of food products",
    "11": "Manufacture of beverages",
    "12": "Manufacture of tobacco products",
    "13": "Manufacture of textiles",
    "14": "Manufacture of wearing apparel",
    "15": "Manufacture of leather and related products",
    "16": "Manufacture of wood and of products of wood and cork, except furniture; "
    "manufacture of articles of straw and plaiting materials",
    "17": "Manufacture of paper and paper products",
    "18": "Printing and reproduction of recorded media",
    "19": "Manufacture of coke and refined petroleum products",
    "20": "Manufacture of chemicals and chemical products",
    "21": "Manufacture of basic pharmaceutical products and pharmaceutical preparations",
    "22": "Manufacture of rubber and plastics products",
    "23": "Manufacture of other non-metallic mineral products",
    "24": "Manufacture of basic metals",
    "25": "Manufacture of fabricated metal products, except machinery and equipment",
    "26": "Manufacture of computer, electronic and optical products",
    "27": "Manufacture of electrical equipment",
    "28": "Manufacture of machinery and equipment n.e.c.",
    "29": "Manufacture of motor vehicles, trailers and semi-trailers",
    "30": "Manufacture of other transport equipment",
    "31": "Manufacture of furniture",
    "32": "Other manufacturing",
    "33": "Repair and installation of machinery and equipment",
    "35": "Electricity, gas, steam and air conditioning supply",
    "36": "Water collection, treatment and supply",
    "37": "Sewerage",
    "38": "Waste collection, treatment and disposal activities; materials recovery",
    "39": "Remediation activities and other waste management services",
    "41": "Construction of buildings",
    "42": "Civil engineering",
    "43": "Specialized construction activities",
    "45": "Wholesale and retail trade and repair of motor vehicles and motorcycles",
    "46": "Wholesale trade, except of motor vehicles and motorcycles",
    "47": "Retail trade, except of motor vehicles and motorcycles",
    "49": "Land transport and transport via pipelines",
    "50": "Water transport",
    "51": "Air transport",
    "52": "Warehousing and support activities for transportation",
    "53": "Postal and courier activities",
    "55": "Accommodation",
    "56": "Food and beverage service activities",
    "58": "Publishing activities",
    "59": "Motion picture, video and television programme production, sound recording and "
    "music publishing activities",
    "60": "Programming and broadcasting activities",
    "61": "Telecommunications",
    "62": "Computer programming, consultancy and related activities",
    "63": "Information service activities",
    "64": "Financial service activities, except insurance and pension funding",
    "65": "Insurance, reinsurance and pension funding, except compulsory social security",
    "66": "Activities auxiliary to financial service and insurance activities",
    "68": "Real estate activities",
    "69": "Legal and accounting activities",
    "70": "Activities of head offices; management consultancy activities",
    "71": "Architectural and engineering activities; technical testing and analysis",
    "72": "Scientific research and development",
    "73": "Advertising and market research",
    "74": "Other professional, scientific and technical activities",
    "75": "Veterinary activities",
    "77": "Rental and leasing activities",
    "78": "Employment activities",
    "79": "Travel agency, tour operator, reservation service and related activities",
    "80": "Security and investigation activities",
    "81": "Services to buildings and landscape activities",
    "82": "Office administrative, office support and other business support activities",
    "84": "Public administration and defence; compulsory social security",
    "85": "Education",
    "86": "Human health activities",
    "87": "Residential care activities",
    "88": "Social work activities without accommodation",
    "90": "Creative, arts and entertainment activities",
    "91": "Libraries, archives, museums and other cultural activities",
    "92": "Gambling and betting activities",
    "93": "Sports activities and amusement and recreation activities",
    "94": "Activities of membership organizations",
    "95": "Repair of computers and personal and household goods",
    "96": "Other personal service activities",
    "97": "Activities of households as employers of domestic personnel",
    "98": "Undifferentiated goods- and services-producing activities of private households "
    "for own use",
    "99": "Activities of extraterritorial organizations and bodies",
}
