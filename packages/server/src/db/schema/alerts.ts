// Tables for risk alerts for the care team (helper: measures).
export {};
