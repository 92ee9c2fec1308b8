import pytest
from streamlit.testing.v1 import AppTest

from .helpers import start


@pytest.fixture
def app() -> AppTest:
    return start()
