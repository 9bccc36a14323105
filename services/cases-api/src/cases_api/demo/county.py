"""A fictional shire county (LA 855's geography), generated deterministically from a seed.

Names, URNs and postcodes are invented; the mix follows the domain facts: mainstream schools with
a few free places, resource bases and special schools that are nearly full, independent special
schools at two to five times the cost (some out of county), alternative provision, early years and
post-16 settings.
"""

import random
from dataclasses import dataclass
from datetime import date

from cases_api.provisions.models import EstablishmentStatus, Phase
from send_contracts import NeedCode, ProvisionKind

DEMO_LA_CODE = "855"
FIGURES_AS_OF = date(2026, 9, 1)

# (town, postcode district, latitude, longitude, relative population)
TOWNS = [
    ("Loughborough", "LE11", 52.7721, -1.2062, 60),
    ("Hinckley", "LE10", 52.5387, -1.3725, 46),
    ("Coalville", "LE67", 52.7240, -1.3700, 36),
    ("Wigston", "LE18", 52.5866, -1.1040, 33),
    ("Melton Mowbray", "LE13", 52.7661, -0.8864, 27),
    ("Market Harborough", "LE16", 52.4775, -0.9209, 24),
    ("Oadby", "LE2", 52.6060, -1.0780, 23),
    ("Shepshed", "LE12", 52.7658, -1.2940, 14),
    ("Ashby-de-la-Zouch", "LE65", 52.7462, -1.4763, 13),
    ("Lutterworth", "LE17", 52.4556, -1.2005, 10),
    ("Syston", "LE7", 52.7000, -1.0800, 12),
    ("Birstall", "LE4", 52.6780, -1.1200, 11),
]
OUT_OF_COUNTY = [
    ("Nottingham", "NG7", 52.9536, -1.1505, "892"),
    ("Derby", "DE22", 52.9225, -1.4746, "831"),
    ("Northampton", "NN3", 52.2405, -0.9027, "941"),
    ("Coventry", "CV6", 52.4068, -1.5197, "331"),
]
_SPECIALIST_NEEDS = [
    [NeedCode.ASD, NeedCode.SLCN],
    [NeedCode.SEMH],
    [NeedCode.MLD, NeedCode.SPLD],
    [NeedCode.HI, NeedCode.VI, NeedCode.MSI],
    [NeedCode.SLD, NeedCode.PMLD, NeedCode.PD],
    [NeedCode.ASD],
]


@dataclass(frozen=True, kw_only=True)
class DemoEstablishment:
    urn: int
    name: str
    la_code: str
    establishment_type: str
    phase: Phase
    statutory_low_age: int
    statutory_high_age: int
    postcode: str
    latitude: float
    longitude: float
    status: EstablishmentStatus = EstablishmentStatus.OPEN


@dataclass(frozen=True, kw_only=True)
class DemoProvision:
    establishment_urn: int
    name: str
    kind: ProvisionKind
    designated_needs: tuple[NeedCode, ...]
    min_age: int
    max_age: int
    places_total: int
    places_taken: int
    place_funding_pence: int
    top_up_pence: int
    fee_pence: int | None


@dataclass(frozen=True)
class DemoDirectory:
    establishments: list[DemoEstablishment]
    provisions: list[DemoProvision]


class _CountyBuilder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.next_urn = 120_001
        self.establishments: list[DemoEstablishment] = []
        self.provisions: list[DemoProvision] = []

    def _postcode(self, district: str) -> str:
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        sector = self.rng.randint(1, 9)
        unit = self.rng.choice(letters) + self.rng.choice(letters)
        return f"{district} {sector}{unit}"

    def _near(self, lat: float, lon: float, spread_km: float) -> tuple[float, float]:
        return (
            round(lat + self.rng.gauss(0, spread_km / 111), 5),
            round(lon + self.rng.gauss(0, spread_km / 68), 5),
        )

    def establishment(
        self,
        *,
        name: str,
        kind: str,
        phase: Phase,
        ages: tuple[int, int],
        town: tuple[str, str, float, float],
        la_code: str = DEMO_LA_CODE,
        spread_km: float = 2.5,
    ) -> DemoEstablishment:
        _, district, lat, lon = town
        lat, lon = self._near(lat, lon, spread_km)
        establishment = DemoEstablishment(
            urn=self.next_urn,
            name=name,
            la_code=la_code,
            establishment_type=kind,
            phase=phase,
            statutory_low_age=ages[0],
            statutory_high_age=ages[1],
            postcode=self._postcode(district),
            latitude=lat,
            longitude=lon,
        )
        self.next_urn += self.rng.randint(1, 40)
        self.establishments.append(establishment)
        return establishment

    def provision(
        self,
        establishment: DemoEstablishment,
        *,
        name: str,
        kind: ProvisionKind,
        needs: tuple[NeedCode, ...],
        places: int,
        occupancy: float,
        place_funding: int,
        top_up: tuple[int, int],
        fee: tuple[int, int] | None = None,
    ) -> None:
        taken = min(places, round(places * occupancy + self.rng.uniform(-0.5, 1.5)))
        self.provisions.append(
            DemoProvision(
                establishment_urn=establishment.urn,
                name=name,
                kind=kind,
                designated_needs=needs,
                min_age=establishment.statutory_low_age,
                max_age=establishment.statutory_high_age,
                places_total=places,
                places_taken=max(0, taken),
                place_funding_pence=place_funding * 100,
                top_up_pence=self.rng.randrange(top_up[0], top_up[1] + 1, 250) * 100,
                fee_pence=self.rng.randrange(fee[0], fee[1] + 1, 500) * 100 if fee else None,
            )
        )


def build_demo_directory(seed: int = 855) -> DemoDirectory:
    """The same county every time for the same seed."""
    b = _CountyBuilder(seed)
    rng = b.rng
    for town_name, district, lat, lon, population in TOWNS:
        town = (town_name, district, lat, lon)
        for index in range(max(2, population // 6)):
            school = b.establishment(
                name=f"{town_name} {rng.choice(['St', 'Church', 'Park', 'Brook', 'Meadow', 'Oak'])}"
                f"{'' if index == 0 else ' ' + str(index + 1)} Primary School",
                kind="Community school",
                phase=Phase.PRIMARY,
                ages=(4, 11),
                town=town,
            )
            b.provision(
                school,
                name=f"{school.name} (mainstream SEN places)",
                kind=ProvisionKind.MAINSTREAM,
                needs=(),
                places=rng.randint(3, 8),
                occupancy=0.8,
                place_funding=0,
                top_up=(4_000, 9_000),
            )
            if index % 3 == 0:
                needs = tuple(rng.choice(_SPECIALIST_NEEDS))
                b.provision(
                    school,
                    name=f"{school.name} {'/'.join(needs)} Resource Base",
                    kind=ProvisionKind.RESOURCE_BASE,
                    needs=needs,
                    places=rng.choice([8, 10, 12]),
                    occupancy=0.95,
                    place_funding=6_000,
                    top_up=(8_000, 15_000),
                )
        for index in range(max(1, population // 18)):
            school = b.establishment(
                name=f"{town_name} {'High' if index == 0 else 'Academy ' + str(index + 1)} School",
                kind="Academy converter",
                phase=Phase.SECONDARY,
                ages=(11, 18),
                town=town,
            )
            b.provision(
                school,
                name=f"{school.name} (mainstream SEN places)",
                kind=ProvisionKind.MAINSTREAM,
                needs=(),
                places=rng.randint(5, 14),
                occupancy=0.85,
                place_funding=0,
                top_up=(5_000, 11_000),
            )
            needs = tuple(rng.choice(_SPECIALIST_NEEDS))
            b.provision(
                school,
                name=f"{school.name} {'/'.join(needs)} Resource Base",
                kind=ProvisionKind.RESOURCE_BASE,
                needs=needs,
                places=rng.choice([10, 12, 16]),
                occupancy=0.97,
                place_funding=6_000,
                top_up=(9_000, 16_000),
            )
        if population >= 20:
            special = b.establishment(
                name=f"{town_name} Area Special School",
                kind="Community special school",
                phase=Phase.ALL_THROUGH,
                ages=(4, 19),
                town=town,
            )
            b.provision(
                special,
                name=special.name,
                kind=ProvisionKind.SPECIAL_SCHOOL,
                needs=tuple(rng.choice(_SPECIALIST_NEEDS[:5])),
                places=rng.choice([90, 120, 150]),
                occupancy=0.99,
                place_funding=10_000,
                top_up=(12_000, 25_000),
            )
            nursery = b.establishment(
                name=f"{town_name} Early Years Specialist Nursery",
                kind="Local authority nursery school",
                phase=Phase.NURSERY,
                ages=(2, 5),
                town=town,
            )
            b.provision(
                nursery,
                name=f"{nursery.name} (satellite)",
                kind=ProvisionKind.EARLY_YEARS,
                needs=(),
                places=rng.randint(6, 12),
                occupancy=0.85,
                place_funding=0,
                top_up=(4_000, 8_000),
            )
        if population >= 30:
            college = b.establishment(
                name=f"{town_name} College",
                kind="Further education",
                phase=Phase.SIXTEEN_PLUS,
                ages=(16, 25),
                town=town,
            )
            b.provision(
                college,
                name=f"{college.name} Supported Learning",
                kind=ProvisionKind.POST16,
                needs=(),
                places=rng.randint(20, 40),
                occupancy=0.8,
                place_funding=6_000,
                top_up=(5_000, 10_000),
            )
            pru = b.establishment(
                name=f"{town_name} Learning Centre",
                kind="Pupil referral unit",
                phase=Phase.NOT_APPLICABLE,
                ages=(5, 16),
                town=town,
            )
            b.provision(
                pru,
                name=pru.name,
                kind=ProvisionKind.ALTERNATIVE,
                needs=(NeedCode.SEMH,),
                places=rng.randint(20, 40),
                occupancy=0.9,
                place_funding=10_000,
                top_up=(12_000, 20_000),
            )
    for index, (town_name, district, lat, lon, la_code) in enumerate(
        [(t[0], t[1], t[2], t[3], DEMO_LA_CODE) for t in TOWNS[:4]] + OUT_OF_COUNTY
    ):
        independent = b.establishment(
            name=f"{town_name} {['Grange', 'Manor', 'Hall', 'House'][index % 4]} School (independent)",
            kind="Other independent special school",
            phase=Phase.ALL_THROUGH,
            ages=(7, 19),
            town=(town_name, district, lat, lon),
            la_code=la_code,
            spread_km=6,
        )
        b.provision(
            independent,
            name=independent.name,
            kind=ProvisionKind.INDEPENDENT,
            needs=tuple(rng.choice(_SPECIALIST_NEEDS)),
            places=rng.randint(15, 60),
            occupancy=0.75,
            place_funding=0,
            top_up=(0, 0),
            fee=(44_000, 110_000),
        )
    return DemoDirectory(b.establishments, b.provisions)
