// Every module that registers workflow services, loaded once wherever diagrams are checked or run.
import "./builtin-services.server";
import "../projects/insurance-services.server";
import "../reports/report-services.server";
