"""File contents of the example project "tinynum", a small NumPy-shaped repository."""

from __future__ import annotations

from release.checks.capi import api_hash

PROJECT = "tinynum"
GITHUB = "example/tinynum"

FRAGMENT_TYPES = (
    ("highlight", "Highlights"),
    ("new_function", "New functions"),
    ("deprecation", "Deprecations"),
    ("future", "Future Changes"),
    ("expired", "Expired deprecations"),
    ("compatibility", "Compatibility notes"),
    ("c_api", "C API changes"),
    ("new_feature", "New Features"),
    ("improvement", "Improvements"),
    ("performance", "Performance improvements and changes"),
    ("typing", "Typing improvements and changes"),
    ("change", "Changes"),
)

CORE = "tinynum/_core"
MESON = f"{CORE}/meson.build"
CVERSIONS = f"{CORE}/code_generators/cversions.txt"
NUMPY_API = f"{CORE}/code_generators/numpy_api.py"
NUMPYCONFIG = f"{CORE}/include/tinynum/numpyconfig.h"
FRAGMENTS = "doc/release/upcoming_changes"


def pyproject(version: str) -> str:
    types = "".join(
        f'\n    [[tool.towncrier.type]]\n        directory = "{d}"\n        name = "{n}"\n'
        "        showcontent = true\n"
        for d, n in FRAGMENT_TYPES
    )
    return f"""[build-system]
build-backend = "mesonpy"
requires = ["meson-python>=0.15.0"]

[project]
name = "tinynum"
version = "{version}"
description = "A tiny NumPy-shaped project for rehearsing releases"
requires-python = ">=3.11"
classifiers = [
    'Programming Language :: Python :: 3.11',
    'Programming Language :: Python :: 3.12',
    'Programming Language :: Python :: 3 :: Only',
]

[tool.release]
project = "tinynum"
package = "tinynum"
github_repo = "{GITHUB}"
meson_build = "{MESON}"
cversions = "{CVERSIONS}"
numpy_api = "{NUMPY_API}"
numpyconfig = "{NUMPYCONFIG}"

[tool.release.wheels]
workflow_repo = "example/tinynum-release"

[tool.release.mail]
to = ["tinynum-discussion@example.org"]
bcc = ["python-announce-list@example.org"]
sender = "Alice Maintainer <alice@example.org>"

[tool.towncrier]
    single_file = false
    filename = "doc/source/release/notes-towncrier.rst"
    directory = "doc/release/upcoming_changes/"
    issue_format = "`gh-{{issue}} <https://github.com/{GITHUB}/pull/{{issue}}>`__"
    template = "doc/release/upcoming_changes/template.rst"
    underlines = "~="
    all_bullets = false

{types}"""


TOWNCRIER_TEMPLATE = """\
{% for section, _ in sections.items() %}
{% set underline = underlines[0] %}{% if section %}{{ section }}
{{ underline * section|length }}{% set underline = underlines[1] %}

{% endif %}
{% if sections[section] %}
{% for category, val in definitions.items() if category in sections[section] %}

{{ definitions[category]['name'] }}
{{ underline * definitions[category]['name']|length }}

{% if definitions[category]['showcontent'] %}
{% for text, values in sections[section][category].items() %}
{{ text }}

{{ get_indent(text) }}({{values|join(', ') }})

{% endfor %}
{% else %}
- {{ sections[section][category]['']|join(', ') }}

{% endif %}
{% if sections[section][category]|length == 0 %}
No significant changes.

{% else %}
{% endif %}
{% endfor %}
{% else %}
(no release note snippets found)

{% endif %}
{% endfor %}
"""

FRAGMENTS_README = """\
Upcoming changes
================

Each pull request that needs a release note adds ``<PR>.<TYPE>.rst`` here.
"""

NOTES_TEMPLATE = """\
:orphan:

.. currentmodule:: tinynum

============================
tinynum X.Y.Z Release Notes
============================


Highlights
==========

*We'll choose highlights for this release near the end of the release cycle.*


.. if release snippets have been incorporated already, uncomment the follow
   line (leave the `.. include:: directive)

.. **Content from release note snippets in doc/release/upcoming_changes:**

.. include:: notes-towncrier.rst
"""


def feature_notes_skeleton(version: str) -> str:
    title = f"tinynum {version} Release Notes"
    bar = "=" * len(title)
    return NOTES_TEMPLATE.replace("=" * 28 + "\ntinynum X.Y.Z Release Notes\n" + "=" * 28,
                                  f"{bar}\n{title}\n{bar}")


def patch_notes_skeleton(version: str, previous: str) -> str:
    title = f"tinynum {version} Release Notes"
    bar = "=" * len(title)
    return (f".. currentmodule:: tinynum\n\n{bar}\n{title}\n{bar}\n\n"
            f"The tinynum {version} is a patch release that fixes bugs discovered after the "
            f"{previous}\nrelease.\n\nThis release supports Python versions 3.11-3.12\n\n")


def release_index(versions: list[str]) -> str:
    entries = "".join(f"    {v} <release/{v}-notes>\n" for v in versions)
    return ("*************\nRelease notes\n*************\n\n.. toctree::\n    :maxdepth: 2\n\n"
            + entries)


def numpy_api(with_mean: bool) -> str:
    mean = "    'TinyArray_Mean':                (3, MinVersion(\"1.2\")),\n" if with_mean else ""
    return f'''"""The tinynum C-API table: name -> (index, annotations...)."""

import importlib.util
import os


def get_annotations():
    genapi_py = os.path.join(os.path.dirname(__file__), 'genapi.py')
    spec = importlib.util.spec_from_file_location('genapi', genapi_py)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.StealRef, mod.MinVersion


StealRef, MinVersion = get_annotations()

multiarray_global_vars = {{
    'TINY_NUMUSERTYPES':             (7, 'int'),
}}

multiarray_scalar_bool_values = {{
    '_TinyArrayScalar_BoolValues':   (9,),
}}

multiarray_types_api = {{
    'TinyArray_Type':                (2,),
}}

multiarray_funcs_api = {{
    '__unused_indices__': [0, 1],
    'TinyArray_Sum':                 (4, StealRef(2)),
    'TinyArray_Prod':                (5,),
{mean}}}

ufunc_types_api = {{
    'TinyUFunc_Type':                (0,),
}}

ufunc_funcs_api = {{
    'TinyUFunc_FromFuncAndData':     (1,),
}}

multiarray_api = (
        multiarray_global_vars,
        multiarray_scalar_bool_values,
        multiarray_types_api,
        multiarray_funcs_api,
)

ufunc_api = (
        ufunc_funcs_api,
        ufunc_types_api
)

full_api = multiarray_api + ufunc_api
'''


def meson_build(api_version: int) -> str:
    lines = "".join(f"# 0x{v:08x} - 1.{v}.x\n" for v in range(1, api_version + 1))
    return (
        "# tinynum core build\n"
        "C_ABI_VERSION = '0x01000000'\n\n"
        "# C API versions per release series:\n"
        f"{lines}"
        f"C_API_VERSION = '0x{api_version:08x}'\n\n"
        "run_command('code_generators/verify_c_api_version.py', '--api-version', C_API_VERSION,\n"
        "  check: true)\n"
    )


def cversions(comments: list[str], with_mean: bool) -> str:
    body = ["# Hash below were defined from numpy_api.full_api", ""]
    body.append("# Version 1 (tinynum 1.1.0)")
    body.append(f"0x00000001 = {api_hash(numpy_api(False))}")
    if with_mean:
        body.append("# Version 2 (tinynum 1.2.0) Add TinyArray_Mean")
        body.append(f"0x00000002 = {api_hash(numpy_api(True))}")
    body.extend(comments)
    return "\n".join(body) + "\n"


def numpyconfig(macros: dict[str, int]) -> str:
    defines = "".join(f"#define NPY_{k.replace('.', '_')}_API_VERSION 0x{v:08x}\n"
                      for k, v in macros.items())
    return (
        "#ifndef TINYNUM_NUMPYCONFIG_H_\n#define TINYNUM_NUMPYCONFIG_H_\n\n"
        "/* API version macros, one per release series */\n"
        f"{defines}\n"
        "#define NPY_FEATURE_VERSION NPY_1_1_API_VERSION\n\n"
        "#endif\n"
    )


def changelog_1_1_0() -> str:
    return f"""
Contributors
============

A total of 2 people contributed to this release.  People with a "+" by their
names contributed a patch for the first time.

* Alice Maintainer +
* Bob Builder +

Pull requests merged
====================

A total of 1 pull requests were merged for this release.

* `#2 <https://github.com/{GITHUB}/pull/2>`__: ENH: add tinynum.sum
"""


MAILMAP = """\
# Prevent git from showing duplicate names with commands like "git shortlog"
# The syntax is:
# Name that should be used <email that should be used> Bad name <bad email>
Bob Builder <bob@example.org> <bob@old.example.org>
"""
