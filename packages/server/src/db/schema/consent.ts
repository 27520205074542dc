// Tables for consent templates, versions and signatures (helper: consent).
export {};
