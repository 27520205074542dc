// Tables for the patient's intake questionnaire, drafts and versions (helper: intake).
export {};
