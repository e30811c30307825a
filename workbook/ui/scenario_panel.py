"""Save the dashboard's sliders as a scenario file, and load a saved one back.

A :class:`ScenarioPanel` hosts in any :class:`workbook.ui.app.ModelApp`: it reads the app's
sliders (:meth:`ModelApp.current_values`) and defaults, and applies a loaded scenario with
:meth:`ModelApp.set_values`. A saved scenario holds the values that differ from the registry
defaults; the default portfolio (``scenarios/portfolio.yaml``) picks it up, so the next batch
reports it. Names are sanitised and cannot leave the scenarios folder; an existing scenario is
replaced only after a second click on "Replace existing?". Every problem is a status line,
never a traceback.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from workbook.core.parameters import build_params
from workbook.core.validation import ParameterError
from workbook.run.scenarios import (
    SCENARIOS_DIR,
    ScenarioError,
    ScenarioExists,
    list_scenarios,
    load_scenario,
    save_scenario,
    scenario_file,
)
from workbook.ui.app import ModelApp

__all__ = ["REPLACE_LABEL", "SAVE_LABEL", "ScenarioPanel"]

SAVE_LABEL, REPLACE_LABEL = "Save scenario", "Replace existing?"
"""The save button's two states."""


class ScenarioPanel:
    """Name, note, Save; a dropdown of saved scenarios and Load; a status line.

    Parameters
    ----------
    app
        The dashboard whose sliders are saved and set.
    folder
        Where scenarios are saved and listed (the repository's ``scenarios/`` by default).

    Examples
    --------
    >>> import tempfile
    >>> from workbook.ui import RoiApp
    >>> app = RoiApp()
    >>> panel = ScenarioPanel(app, folder=Path(tempfile.mkdtemp()))
    >>> app.sliders["spend_uplift_excellent_service"].value = 0.12
    >>> panel.name.value, panel.note.value = "Bolder uplift", "What if spend rises 12 %?"
    >>> panel.save().name
    'bolder-uplift.yaml'
    >>> panel.choice.options
    ('bolder-uplift',)
    """

    def __init__(self, app: ModelApp, *, folder: Path = SCENARIOS_DIR,
                 on_load: Callable[[], None] | None = None) -> None:
        self.app = app
        self.on_load = on_load
        """Called after a scenario is loaded (the ROI app resets its inputs switch)."""
        self.folder = Path(folder)
        self._confirm: Path | None = None
        self.name = widgets.Text(description="Name", placeholder="e.g. cautious-2027",
                                 layout=widgets.Layout(width="100%"))
        self.note = widgets.Textarea(description="Note", placeholder="what this scenario "
                                     "asks (saved as its description)", rows=2,
                                     layout=widgets.Layout(width="100%"))
        self.save_button = widgets.Button(description=SAVE_LABEL, icon="save")
        self.choice = widgets.Dropdown(description="Saved", options=[],
                                       layout=widgets.Layout(width="70%"))
        self.load_button = widgets.Button(description="Load", icon="folder-open")
        self.status = widgets.HTML("")
        for widget, name in ((self.name, "name"), (self.note, "note"),
                             (self.save_button, "save"), (self.choice, "choice"),
                             (self.load_button, "load"), (self.status, "status")):
            widget.add_class(f"wb-scenario-{name}")
        self.name.observe(lambda _change: self._disarm(), names="value")
        self.save_button.on_click(lambda _button: self.save())
        self.load_button.on_click(lambda _button: self.load())
        self.refresh_choices()
        self.layout = widgets.Accordion(
            [widgets.VBox([self.name, self.note, self.save_button,
                           widgets.HBox([self.choice, self.load_button]), self.status])],
            titles=("Scenarios: save these values for the nightly report, or load one",),
        )
        self.layout.add_class("wb-scenarios")

    # --- helpers ------------------------------------------------------------------------------

    def _say(self, text: str, *, problem: bool = False) -> None:
        colour = "#b23a1e" if problem else "#2a6f66"
        self.status.value = f'<small style="color:{colour}">{html.escape(text)}</small>'

    def _disarm(self) -> None:
        self._confirm = None
        self.save_button.description = SAVE_LABEL
        self.save_button.button_style = ""

    def refresh_choices(self) -> None:
        """List the scenarios saved in the folder (portfolio files are skipped)."""
        current = self.choice.value
        names = tuple(list_scenarios(self.folder)) if self.folder.is_dir() else ()
        self.choice.options = names
        if current in names:
            self.choice.value = current

    def changed_values(self) -> dict[str, Any]:
        """The sliders whose values differ from the registry defaults."""
        return {name: value for name, value in self.app.current_values().items()
                if value != getattr(self.app.defaults, name)}

    # --- actions ------------------------------------------------------------------------------

    def save(self) -> Path | None:
        """Save the sliders as a scenario; the path, or ``None`` with the reason shown.

        A first click on an existing name arms the button ("Replace existing?"); a second
        click with the same name replaces the file.
        """
        try:
            build_params(self.app.params_type, self.app.current_values())
            path = scenario_file(self.folder, self.name.value)
            replace = self._confirm == path
            save_scenario(self.folder, self.name.value, self.note.value, self.changed_values(),
                          replace=replace)
        except ScenarioExists as exists:
            self._confirm = exists.path
            self.save_button.description = REPLACE_LABEL
            self.save_button.button_style = "warning"
            self._say(f"A scenario named {exists.path.stem!r} exists. Click “{REPLACE_LABEL}” "
                      "to overwrite it, or change the name.", problem=True)
            return None
        except ParameterError as error:
            self._say(f"Not saved: {error.name}: expected {error.expected}; got "
                      f"{error.got!r}.", problem=True)
            return None
        except (ScenarioError, OSError) as error:
            self._say(f"Not saved: {error}", problem=True)
            return None
        self._disarm()
        self.refresh_choices()
        self.choice.value = path.stem
        changed = len(self.changed_values())
        self._say(f"{'Replaced' if replace else 'Saved'} {path.name}: {changed} value(s) "
                  "differ from the defaults. The next batch of the default portfolio runs it.")
        return path

    def load(self, name: str | None = None) -> bool:
        """Set the sliders to a saved scenario (the others to their defaults).

        Keys the dashboard has no slider for are named in the status line and left out;
        a value the model refuses leaves every slider as it was.
        """
        name = name or self.choice.value
        path = list_scenarios(self.folder).get(name) if name else None
        if path is None:
            self._say(f"No saved scenario named {name!r}.", problem=True)
            return False
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            self._say(f"Not loaded: {error}", problem=True)
            return False
        fields = {f.name for f in dataclasses.fields(self.app.params_type)}
        known = {k: v for k, v in scenario.parameters.items() if k in self.app.sliders}
        skipped = sorted(set(scenario.parameters) - set(known))
        defaults = {n: getattr(self.app.defaults, n) for n in self.app.sliders}
        try:
            params = build_params(self.app.params_type, {**defaults, **known})
        except ParameterError as error:
            self._say(f"Not loaded: {path.name}: {error.name}: expected {error.expected}; "
                      f"got {error.got!r}.", problem=True)
            return False
        except (TypeError, ValueError) as error:
            self._say(f"Not loaded: {path.name}: {error}", problem=True)
            return False
        self.app.set_values({n: getattr(params, n) for n in self.app.sliders})
        if self.on_load is not None:
            self.on_load()
        message = f"Loaded {scenario.name!r}: {len(known)} value(s) from the scenario."
        if skipped:
            unknown = [k for k in skipped if k not in fields]
            no_control = [k for k in skipped if k in fields]
            if unknown:
                message += f" Unknown, ignored: {', '.join(unknown)}."
            if no_control:
                message += f" No slider here, left at the default: {', '.join(no_control)}."
        self._say(message, problem=bool(skipped))
        self.name.value, self.note.value = scenario.name, scenario.description
        return True
