import pytest

from uploads.olinpe.synthetic import Anomalies, Settings, generate

SMALL = Settings(children=2_500, years=3, first_year=2022, seed=7)


@pytest.fixture(scope="session")
def synthetic():
    """Three yearly bases of a small département, with the default planted anomalies."""
    return generate(SMALL)


@pytest.fixture(scope="session")
def clean_synthetic():
    return generate(
        Settings(children=2_500, years=2, first_year=2022, seed=7, anomalies=Anomalies(*[0] * 10))
    )
