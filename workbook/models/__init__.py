"""The models, one domain per package: ``roi``, ``loyalty``, ``value``, ``recovery``,
``responsiveness``, ``quality``. Each model module declares its parameters (a
:class:`~workbook.core.declare.Params`) and one :class:`~workbook.core.model.Model` record;
each domain's ``analysis`` module runs it the same way for notebooks, dashboards and reports."""
