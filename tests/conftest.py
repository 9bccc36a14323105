"""Cross-service tests: both services as real processes on loopback ports, on the chosen database."""

from collections.abc import Iterator

import pytest
from cross_service import RunningServices, start_services, stop_services

from cases_api.testing import scratch_database


@pytest.fixture(scope="session")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServices]:
    data_dir = tmp_path_factory.mktemp("services")
    with scratch_database(data_dir, label="services") as database_url:
        running, processes = start_services(data_dir, database_url)
        try:
            yield running
        finally:
            stop_services(processes)
