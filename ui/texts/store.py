"""Texts of roles and teams, the audit page and import provenance (issue #17 items 2–4, #13)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # -- roles and teams (ui/auth.py)
    "access.no_role": {
        "en": "Your account has no role in this app (claim mmrn_role is missing). Ask the administrator "
              "to give you one of: clinician, reviewer, teacher. No case is shown.",
        "zh": "您的账号在本应用中没有角色(缺少 mmrn_role 声明)。请管理员为您分配以下之一:"
              "clinician(临床医生)、reviewer(审阅者)、teacher(教师)。不显示任何病例。",
    },
    "access.bad_role": {
        "en": "Your account's role {role} is not one of clinician, reviewer, teacher. Ask the administrator "
              "to correct it. No case is shown.",
        "zh": "您的账号角色 {role} 不是 clinician、reviewer、teacher 之一。请管理员更正。不显示任何病例。",
    },
    "access.no_team": {
        "en": "Your account belongs to no team (claim mmrn_teams), so no patient case can be shown. "
              "Ask the administrator to add you to your team.",
        "zh": "您的账号不属于任何团队(mmrn_teams 声明),因此不能显示患者病例。请管理员将您加入所在团队。",
    },
    "access.role_line": {"en": "Role: {role} · teams: {teams}", "zh": "角色:{role} · 团队:{teams}"},
    "role.clinician": {"en": "clinician", "zh": "临床医生"},
    "role.reviewer": {"en": "reviewer (read only)", "zh": "审阅者(只读)"},
    "role.teacher": {"en": "teacher (teaching gallery only)", "zh": "教师(仅教学图库)"},
    "access.teacher_only": {
        "en": "As a teacher you see the teaching gallery only; patient cases are not shown.",
        "zh": "教师角色仅可查看教学图库;不显示患者病例。",
    },
    "lib.readonly": {
        "en": "Read only: as a reviewer you can open, read and export your teams' cases; saving, importing "
              "and archiving are for clinicians.",
        "zh": "只读:审阅者可以打开、阅读和导出所在团队的病例;保存、导入和归档仅限临床医生。",
    },
    "lib.not_found": {
        "en": "No stored case with id {case_id}.",
        "zh": "病例库中没有编号为 {case_id} 的病例。",
    },
    "lib.refused": {"en": "Not allowed for your role: {what}.", "zh": "您的角色不允许此操作:{what}。"},
    "lib.team": {"en": "Team of new cases", "zh": "新病例所属团队"},
    "lib.export_one": {"en": "Export the selected case only", "zh": "仅导出所选病例"},
    # -- import provenance (issue #13)
    "lib.hist_imported": {
        "en": "imported by {by} on {at} (claimed: author {claimed_by}, date {claimed_at})",
        "zh": "由 {by} 于 {at} 导入(文件声称:作者 {claimed_by},日期 {claimed_at})",
    },
    "lib.hist_imported_plain": {"en": "imported by {by} on {at}", "zh": "由 {by} 于 {at} 导入"},
    # -- audit page (pages/audit.py)
    "nav.audit": {"en": "Audit trail", "zh": "审计记录"},
    "audit.title": {"en": "Audit trail", "zh": "审计记录"},
    "audit.intro": {
        "en": "Every sign-in, case view, save, import, export, archive and report print, append-only and "
              "hash-chained: a changed row breaks the chain from there on. Cases are named by id only.",
        "zh": "每次登录、查看病例、保存、导入、导出、归档和打印报告均追加记录并以哈希链相连:"
              "任何一行被改动,其后的链即断开。病例仅以编号标识。",
    },
    "audit.ok": {"en": "Chain verified: {n} rows, newest hash {hash}.", "zh": "哈希链校验通过:{n} 行,最新哈希 {hash}。"},
    "audit.broken": {"en": "Chain BROKEN at row {seq}: {problem}", "zh": "哈希链在第 {seq} 行断开:{problem}"},
    "audit.recent": {"en": "Most recent {n} rows", "zh": "最近 {n} 行"},
    "audit.download": {"en": "Download the whole trail (JSON Lines)", "zh": "下载全部审计记录(JSON Lines)"},
    "audit.not_admin": {
        "en": "The audit trail is for administrators (listed in [audit] admins of the configuration).",
        "zh": "审计记录仅供管理员查看(配置文件 [audit] admins 中列出)。",
    },
}
