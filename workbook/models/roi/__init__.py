"""Service ROI: what a service investment returns (:mod:`~workbook.models.roi.service_roi`,
declared as ``SERVICE_ROI``), its inputs measured from data (:mod:`~workbook.models.roi.calibrate`),
the imitation moat (:mod:`~workbook.models.roi.moat`) and the one analysis notebook 01 and the
dashboard share (:mod:`~workbook.models.roi.analysis`)."""
