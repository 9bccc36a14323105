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


@dataclass(frozen=True, kw_only=True)
class _Setting:
    """A kind of school or setting, and the single provision it offers."""

    name: str  # "{town}" is replaced by the town's name
    gias_type: str
    phase: Phase
    ages: tuple[int, int]
    kind: ProvisionKind
    needs: tuple[tuple[NeedCode, ...], ...]  # one is drawn; () means open to any need
    places: tuple[int, int]  # drawn uniformly between
    occupancy: float
    place_funding: int
    top_up: tuple[int, int]
    fee: tuple[int, int] | None = None


_ANY_NEED: tuple[tuple[NeedCode, ...], ...] = ((),)
_SPECIALIST = tuple(tuple(needs) for needs in _SPECIALIST_NEEDS)

# Settings that towns of at least this population have one of.
_TOWN_SETTINGS: tuple[tuple[int, _Setting], ...] = (
    (20, _Setting(name="{town} Area Special School", gias_type="Community special school",
                  phase=Phase.ALL_THROUGH, ages=(4, 19), kind=ProvisionKind.SPECIAL_SCHOOL,
                  needs=_SPECIALIST[:5], places=(90, 150), occupancy=0.99,
                  place_funding=10_000, top_up=(12_000, 25_000))),
    (20, _Setting(name="{town} Early Years Specialist Nursery",
                  gias_type="Local authority nursery school", phase=Phase.NURSERY, ages=(2, 5),
                  kind=ProvisionKind.EARLY_YEARS, needs=_ANY_NEED, places=(6, 12),
                  occupancy=0.85, place_funding=0, top_up=(4_000, 8_000))),
    (30, _Setting(name="{town} College", gias_type="Further education",
                  phase=Phase.SIXTEEN_PLUS, ages=(16, 25), kind=ProvisionKind.POST16,
                  needs=_ANY_NEED, places=(20, 40), occupancy=0.8, place_funding=6_000,
                  top_up=(5_000, 10_000))),
    (30, _Setting(name="{town} Learning Centre", gias_type="Pupil referral unit",
                  phase=Phase.NOT_APPLICABLE, ages=(5, 16), kind=ProvisionKind.ALTERNATIVE,
                  needs=((NeedCode.SEMH,),), places=(20, 40), occupancy=0.9,
                  place_funding=10_000, top_up=(12_000, 20_000))),
)  # fmt: skip

_INDEPENDENT = _Setting(
    name="{town} {house} School (independent)",
    gias_type="Other independent special school",
    phase=Phase.ALL_THROUGH,
    ages=(7, 19),
    kind=ProvisionKind.INDEPENDENT,
    needs=_SPECIALIST,
    places=(15, 60),
    occupancy=0.75,
    place_funding=0,
    top_up=(0, 0),
    fee=(44_000, 110_000),
)


def _add_setting(
    b: _CountyBuilder,
    setting: _Setting,
    *,
    town: tuple[str, str, float, float],
    la_code: str = DEMO_LA_CODE,
    spread_km: float = 2.5,
    house: str = "",
) -> None:
    name = setting.name.format(town=town[0], house=house)
    establishment = b.establishment(
        name=name,
        kind=setting.gias_type,
        phase=setting.phase,
        ages=setting.ages,
        town=town,
        la_code=la_code,
        spread_km=spread_km,
    )
    b.provision(
        establishment,
        name=name,
        kind=setting.kind,
        needs=b.rng.choice(setting.needs),
        places=b.rng.randint(*setting.places),
        occupancy=setting.occupancy,
        place_funding=setting.place_funding,
        top_up=setting.top_up,
        fee=setting.fee,
    )


def _add_mainstream_school(
    b: _CountyBuilder,
    *,
    name: str,
    phase: Phase,
    ages: tuple[int, int],
    town: tuple[str, str, float, float],
    sen_places: tuple[int, int],
    top_up: tuple[int, int],
    resource_base_places: tuple[int, ...] | None,
) -> None:
    """A mainstream school with a few SEN places, and maybe a resource base."""
    school = b.establishment(
        name=name,
        kind="Community school" if phase is Phase.PRIMARY else "Academy converter",
        phase=phase,
        ages=ages,
        town=town,
    )
    b.provision(
        school,
        name=f"{school.name} (mainstream SEN places)",
        kind=ProvisionKind.MAINSTREAM,
        needs=(),
        places=b.rng.randint(*sen_places),
        occupancy=0.8 if phase is Phase.PRIMARY else 0.85,
        place_funding=0,
        top_up=top_up,
    )
    if resource_base_places:
        needs = tuple(b.rng.choice(_SPECIALIST_NEEDS))
        b.provision(
            school,
            name=f"{school.name} {'/'.join(needs)} Resource Base",
            kind=ProvisionKind.RESOURCE_BASE,
            needs=needs,
            places=b.rng.choice(resource_base_places),
            occupancy=0.96,
            place_funding=6_000,
            top_up=(top_up[0] + 4_000, top_up[1] + 5_000),
        )


def build_demo_directory(seed: int = 855) -> DemoDirectory:
    """The same county every time for the same seed."""
    b = _CountyBuilder(seed)
    rng = b.rng
    for town_name, district, lat, lon, population in TOWNS:
        town = (town_name, district, lat, lon)
        for index in range(max(2, population // 6)):
            prefix = rng.choice(["St", "Church", "Park", "Brook", "Meadow", "Oak"])
            _add_mainstream_school(
                b,
                name=f"{town_name} {prefix}{'' if index == 0 else f' {index + 1}'} Primary School",
                phase=Phase.PRIMARY,
                ages=(4, 11),
                town=town,
                sen_places=(3, 8),
                top_up=(4_000, 9_000),
                resource_base_places=(8, 10, 12) if index % 3 == 0 else None,
            )
        for index in range(max(1, population // 18)):
            _add_mainstream_school(
                b,
                name=f"{town_name} {'High' if index == 0 else f'Academy {index + 1}'} School",
                phase=Phase.SECONDARY,
                ages=(11, 18),
                town=town,
                sen_places=(5, 14),
                top_up=(5_000, 11_000),
                resource_base_places=(10, 12, 16),
            )
        for min_population, setting in _TOWN_SETTINGS:
            if population >= min_population:
                _add_setting(b, setting, town=town)
    houses = ["Grange", "Manor", "Hall", "House"]
    in_county = [(t[0], t[1], t[2], t[3], DEMO_LA_CODE) for t in TOWNS[:4]]
    for index, (town_name, district, lat, lon, la_code) in enumerate(in_county + OUT_OF_COUNTY):
        _add_setting(
            b,
            _INDEPENDENT,
            town=(town_name, district, lat, lon),
            la_code=la_code,
            spread_km=6,
            house=houses[index % 4],
        )
    return DemoDirectory(b.establishments, b.provisions)
