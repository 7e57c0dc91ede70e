"""Staff refusals read in the person's language: a refused permission is named in Chinese,
sign-in and token failures too; the English (``str(exc)``: logs, JSON, the audit trail) is unchanged."""

from __future__ import annotations

import re

import pytest

from collectui.domain.errors import InvalidInput, NotFound, NotSignedIn, PermissionDenied
from collectui.domain.staff import logins, token_auth, tokens, users
from collectui.domain.staff.actor import token_actor
from collectui.domain.staff.permissions import PERMISSIONS, authorize
from collectui.tui.i18n import Translator, load_catalog
from tests.support.cli import add_staff
from tests.support.said import in_both

pytestmark = pytest.mark.usefixtures("cheap_hasher")


def test_every_permission_has_its_name_in_both_languages():
    catalogue = load_catalog()
    for name in PERMISSIONS:
        zh, en = catalogue[f"perm.{name}"]  # a KeyError names the permission without one
        assert en == name, "the English refusal names the permission as the CLI and the docs spell it"
        assert re.search(r"[\u4e00-\u9fff]", zh), name


def test_a_collector_running_an_admin_service_is_refused_in_chinese(ctx):
    amy = add_staff(ctx, "amy", "collector", "城关支行")
    with pytest.raises(PermissionDenied) as caught:
        users.add_user(ctx, amy, "bob", "collector", "城关支行", "password123")
    assert str(caught.value) == "users.manage: a collector may not do this"
    assert in_both(caught.value) == "催收员无权管理员工账户"


def test_another_branch_is_refused_naming_the_branch_and_the_action(ctx):
    wang = add_staff(ctx, "wang", "supervisor", "城关支行")
    with pytest.raises(PermissionDenied) as caught:
        authorize(ctx, wang, "unmask", branch="河西支行")
    assert str(caught.value) == "unmask: wang acts for branch 城关支行 only"
    assert in_both(caught.value) == "wang 只能处理 城关支行 的业务，无权在其他支行查看未脱敏的个人信息"


def test_a_token_outside_its_scope_is_refused_in_chinese(ctx):
    dialler = token_actor("dialler", "collector", "城关支行", frozenset({"check"}))
    with pytest.raises(PermissionDenied) as caught:
        authorize(ctx, dialler, "call.log")
    assert str(caught.value) == "call.log: not in the scope of token:dialler"
    assert in_both(caught.value) == "token:dialler 的令牌权限范围不含登记通话"


def test_a_missing_user_and_a_wrong_password_read_in_chinese(ctx):
    add_staff(ctx, "amy", "collector", "城关支行")
    admin = add_staff(ctx, "root", "admin")
    with pytest.raises(NotFound) as missing:
        users.set_active(ctx, admin, "ghost", False)
    assert str(missing.value) == "no user 'ghost'"
    assert in_both(missing.value) == "没有用户 ghost"
    with pytest.raises(PermissionDenied) as wrong:
        users.authenticate(ctx, "amy", "not the password")
    assert in_both(wrong.value) == "用户名或密码错误"


def test_sign_in_and_token_failures_read_in_chinese(ctx):
    with pytest.raises(NotSignedIn) as nobody:
        logins.current(ctx)
    assert in_both(nobody.value) == "尚未登录：请运行 `collectui login`"
    with pytest.raises(NotSignedIn) as unknown:
        token_auth.actor_for(ctx, "cu_no-such-token")
    assert str(unknown.value) == "COLLECTUI_TOKEN: the token is unknown"
    assert in_both(unknown.value) == "COLLECTUI_TOKEN：未知的令牌"


def test_each_bad_scope_is_a_problem_in_the_persons_language():
    with pytest.raises(InvalidInput) as caught:
        tokens.parse_scopes("calls,c")
    exc = caught.value
    assert exc.problems == ["unknown scope 'c'", "unknown scope 'calls'"]  # sorted, as parse_scopes keeps them
    assert Translator("zh").problems(exc) == ["未知的权限范围 c", "未知的权限范围 calls"]
    assert Translator("en").problems(exc) == exc.problems
    assert in_both(exc) == "--scope 有误：未知的权限范围 c；未知的权限范围 calls"
