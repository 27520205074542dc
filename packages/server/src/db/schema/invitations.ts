// Tables for invitations to the portal and the mail outbox (helper: onboarding).
export {};
