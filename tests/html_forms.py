"""Forms as a browser sees them: read from a rendered page, filled in and sent as they are.

Tests that submit a page's form take its fields from the HTML (hidden inputs, the options of each
select, textareas) instead of building the POST by hand, so that what the template renders is what
the view has to parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # select: (value, label)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons

    def choose(self, name: str, label_contains: str) -> Form:
        """Selects the option of `name` whose label contains the text, as a user would."""
        values = [value for value, label in self.options[name] if label_contains in label]
        assert len(values) == 1, (
            f"{len(values)} options of {name!r} match {label_contains!r}: {self.options[name]}"
        )
        self.fields[name] = values[0]
        return self

    def select(self, name: str, value: str) -> Form:
        """Selects the option of `name` with this value; the page must offer it."""
        offered = [v for v, _ in self.options[name]]
        assert value in offered, f"{name!r} offers {offered}, not {value!r}"
        self.fields[name] = value
        return self

    def fill(self, **values: str) -> Form:
        for name, value in values.items():
            assert name in self.fields, f"the form has no field {name!r}: {sorted(self.fields)}"
            self.fields[name] = value
        return self

    def data(self, button: tuple[str, str] | None = None) -> dict[str, str]:
        sent = dict(self.fields)
        if button is not None:
            assert button in self.buttons, f"no button {button!r}: {self.buttons}"
            sent[button[0]] = button[1]
        return sent

    def submit(self, client: Any, button: tuple[str, str] | None = None) -> Any:
        assert self.method == "post", self.method
        return client.post(self.action, self.data(button))


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._option: dict[str, Any] | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                form.buttons.append((name, a.get("value", "")))
            elif kind in {"checkbox", "radio"}:
                if "checked" in a:
                    form.fields[name] = a.get("value", "on")
            elif kind != "file":
                form.fields[name] = a.get("value", "")
        elif tag == "button" and name:
            form.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = name
            form.options[name] = []
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "label": ""}
        elif tag == "textarea" and name:
            self._textarea = name
            form.fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option["label"] += data
        elif self._textarea is not None and self._form is not None:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        form = self._form
        if tag == "option" and self._option is not None and form is not None and self._select:
            label = self._option["label"].strip()
            value = self._option["value"] if self._option["value"] is not None else label
            form.options[self._select].append((value, label))
            if self._option["selected"] or self._select not in form.fields:
                form.fields[self._select] = value
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def forms_in(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_to(html: str, action: str, **having: str) -> Form:
    """The one form posting to `action` whose fields hold the given values (e.g. kind="question")."""
    found = [
        f
        for f in forms_in(html)
        if f.action == action and all(f.fields.get(k) == v for k, v in having.items())
    ]
    assert len(found) == 1, f"{len(found)} forms to {action} with {having}"
    return found[0]


def forms_to(html: str, action: str, **having: str) -> list[Form]:
    return [
        f
        for f in forms_in(html)
        if f.action == action and all(f.fields.get(k) == v for k, v in having.items())
    ]
