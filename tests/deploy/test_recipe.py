"""The files of deploy/ agree with each other: the unit's command is the app, the site has N
upstreams from deploy.toml, nginx accepts the rendered site (no server needed)."""

from __future__ import annotations

import subprocess

import pytest

from .conftest import ROOT, up


def test_unit_exec_start_runs_this_app_on_the_instance_port(tmp_path):
    (tmp_path / "mmnav.env").write_text("")
    command = up.app_command("8607", {up.INSTALL_DIR: "/srv/x", up.CONFIG_DIR: str(tmp_path)})
    assert command.argv[:4] == ["/srv/x/.venv/bin/python", "serve.py", "run", "app.py"]
    assert command.argv[command.argv.index("--server.port") + 1] == "8607"
    assert command.argv[command.argv.index("--server.address") + 1] == "127.0.0.1"
    assert command.argv[command.argv.index("--secrets.files") + 1] == f"{tmp_path}/secrets.toml"
    assert command.cwd == "/srv/x"


def test_unit_reads_its_environment_file(tmp_path):
    (tmp_path / "mmnav.env").write_text("# comment\nMMNAV_DATABASE_URL=postgresql://mmnav@/mmnav\nMMNAV_SHARED=1\n")
    command = up.app_command("8601", {up.INSTALL_DIR: str(ROOT), up.CONFIG_DIR: str(tmp_path)})
    assert command.env == {"MMNAV_DATABASE_URL": "postgresql://mmnav@/mmnav", "MMNAV_SHARED": "1"}


def test_site_has_one_upstream_per_configured_process(tmp_path):
    config_file = tmp_path / "deploy.toml"
    config_file.write_text((ROOT / "deploy" / "deploy.toml").read_text().replace("processes = 2", "processes = 3"))
    site = up.render_nginx_site(up.load_config(config_file))
    assert [line.split()[1] for line in site.splitlines() if line.strip().startswith("server 127.0.0.1:")] == [
        "127.0.0.1:8601", "127.0.0.1:8602", "127.0.0.1:8603"]
    assert "{{" not in site
    assert "hash $mmnav_route consistent;" in site
    assert "proxy_set_header Upgrade $http_upgrade;" in site and "proxy_http_version 1.1;" in site


def test_config_rejects_zero_processes(tmp_path):
    config_file = tmp_path / "deploy.toml"
    config_file.write_text("[app]\nprocesses = 0\n")
    with pytest.raises(ValueError, match="app.processes"):
        up.load_config(config_file)


def test_csp_allows_exactly_streamlit_inline_script():
    csp = up.content_security_policy()
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert len(up.inline_script_hashes()) >= 1 and "frame-ancestors 'none'" in csp


@pytest.mark.skipif(up.nginx_binary() is None, reason="nginx is not installed (./test.sh installs it)")
def test_nginx_accepts_the_rendered_site(tmp_path):
    cert, key = up.self_signed_certificate(tmp_path / "tls")
    config = up.load_config(ROOT / "deploy" / "deploy.toml", https_port=up.free_port(), http_port=up.free_port(),
                            listen="127.0.0.1", tls_certificate=str(cert), tls_certificate_key=str(key))
    site = tmp_path / "mmnav.conf"
    site.write_text(up.render_nginx_site(config))
    (tmp_path / "nginx-temp").mkdir()
    main = tmp_path / "nginx.conf"
    main.write_text(up.trial_nginx_main(tmp_path, site).replace("user nobody nogroup;\n", ""))
    checked = subprocess.run([up.nginx_binary(), "-t", "-c", str(main), "-p", str(tmp_path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
