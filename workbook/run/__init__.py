"""Running notebooks as reports: the runner (one notebook), batch (a portfolio of scenarios, in
worker processes), the batch's index, scenarios, results, the HTML report, PDF and exports."""
