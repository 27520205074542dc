import { randomUUID } from 'node:crypto';
import type { Route } from '@kapstone/clinical';
import type { Db } from '../../db/client.ts';
import {
  type ConsentTemplateKind,
  consentTemplate,
  consentTemplateVersion,
} from '../../db/schema/consent.ts';

/**
 * The demo clinics' consent forms. Written for Kapstone in our own words, not copied from any clinic or
 * website. Every clinical fact in them is taken from ../shared/clinical-reference.md; the section is cited
 * in a comment beside each form. They are demo texts: a real clinic has its own counsel review its forms.
 */
interface DemoTemplate {
  kind: ConsentTemplateKind;
  title: string;
  required: boolean;
  routes: Route[];
  body: string;
}

/*
 * General KAP consent. Facts and their sources:
 * - Schedule III: clinical-reference 6 (21 CFR 1308.13(c)(7)); esketamine CIII: 2.5, 6.
 * - Routes (IV, IM, sublingual, esketamine nasal spray): 2.1-2.5. KAP doses far below anaesthetic ones: 2.2
 *   (Ketalar IM 6.5-13 mg/kg is an anaesthetic dose, not a KAP dose).
 * - Dissociation is common (61-84% with esketamine on the CADSS): 1.11; it peaks and fades within hours: 1.11, 2.3.
 * - Unsteadiness: a steady gait is a discharge criterion (PADSS): 4.5. Not everyone responds (response rates well
 *   below 100% in real-world KAP): 5.3. Suicidality warning of the antidepressant class: 3.2.
 * - Blood pressure rise, largest about 30-40 minutes in: 4.1 (Emory, Yale series), 2.5 (SPRAVATO label).
 * - Nausea and vomiting (the reason for fasting): 2.5, 4.6. Sedation: 2.5.
 * - Bladder and urinary-tract symptoms with frequent or long-term use: 3.2 (Ketalar ADRs; SPRAVATO).
 * - Misuse and abuse potential; SUD history weighed: 3.2 (SPRAVATO PI 5.3; Ketalar precaution).
 * - Liver injury with repeated use; raised eye pressure: 3.2. Pregnancy and breastfeeding not recommended: 3.2.
 * - Interactions (benzodiazepines, opioids, alcohol, sleep medicines; stimulants, MAOIs): 3.3.
 * - Screening before treatment (psychiatric assessment, substance use and psychosis history): 3.4 (Sanacora 2017).
 * - Blood pressure checked before and during sessions: 4.1; leaving only when recovered, with a responsible
 *   adult: 4.5 (Ketalar outpatient note), 2.7.
 * - No driving or machinery until the next day after a restful sleep; a ride home: 4.6, 2.5.
 * - Psychotherapy before, during and after the sessions: 5.2 (Drozdz 2022), 5.3.
 * - Confidentiality; psychotherapy notes kept apart; the exception to avert a serious threat to health or
 *   safety: 7.1 (45 CFR 164.501, 164.508(a)(2), 164.512(j)(1)(i)).
 * No dose, fasting time or vital-sign threshold is stated: the reference gives none for KAP (4.6, 4.2).
 */
const general: DemoTemplate = {
  kind: 'general',
  title: 'Consent to ketamine-assisted psychotherapy',
  required: true,
  routes: [],
  body: `This form explains ketamine-assisted psychotherapy (KAP) at {{clinicName}}: what it is, what it can feel like, its risks, and what we do to keep you safe. Please read all of it. Ask us about anything that is unclear before you sign. Signing does not commit you to treatment: you may stop at any time.

## What ketamine is
- Ketamine is an anesthetic medicine. In KAP it is given at doses far lower than those used to put a person to sleep for surgery.
- It is a Schedule III controlled substance under US federal law. The clinic keeps strict records of every dose it stores, gives or prescribes.
- In KAP, ketamine sessions are combined with psychotherapy: preparation sessions before, support during, and integration sessions after, to help you understand and use what you experience.

## How it can be given
Your prescriber will recommend one route and explain it in a separate form: an infusion into a vein (IV), an injection into a muscle (IM), a tablet or lozenge that dissolves under the tongue or in the cheek (sublingual), or esketamine (SPRAVATO), a related medicine given as a nasal spray.

## What you may feel
- Changes in how you perceive your body, time, sounds, colors or your surroundings, and a sense of being detached from yourself ("dissociation"). This is common and expected, and it usually fades within one to two hours.
- Strong emotions can come up. Your therapist is there to support you.
- Drowsiness and unsteadiness while the medicine acts: stay seated or lying down until staff say you may get up.

## Risks
- Blood pressure and heart rate usually rise during a session, most often about half an hour to forty minutes after it starts. We measure your blood pressure before and during every session.
- Nausea and vomiting. This is why we ask you not to eat or drink for some time before a session; your care team will tell you for how long.
- Sedation: you may become very sleepy. Rarely, a person becomes hard to wake. We watch for this throughout.
- Bladder and urinary problems (pain, urgency, frequent urination, blood in the urine) have been reported with frequent or long-term use of ketamine. Tell us at once if you notice any.
- Ketamine can be misused and can lead to dependence. Tell us about any past or present use of alcohol or drugs; it helps us keep you safe. Never take ketamine outside your prescribed plan.
- Repeated use can affect the liver; your prescriber may order blood tests. Ketamine can slightly raise the pressure inside the eye.
- Ketamine is not recommended during pregnancy or breastfeeding. Tell us if you are, or could become, pregnant.
- Other medicines and substances change ketamine's effects. Alcohol, benzodiazepines, opioids and sleep medicines deepen sedation and can slow breathing; stimulants and MAO inhibitors can raise blood pressure further. Tell us about everything you take, and do not start or stop a medicine around a session without asking your prescriber.
- Ketamine does not help everyone. If you have thoughts of harming yourself at any time, call or text 988 (Suicide & Crisis Lifeline) or the clinic at once.

## What the clinic does to keep you safe
- Before treatment, a prescriber assesses your mental and physical health, including your history of substance use and of psychosis, your medicines and your blood pressure.
- Trained staff stay with you and check your blood pressure and how alert you are during the session.
- You leave only when a clinician has checked that you have recovered, and with a responsible adult to take you home.

## After a session
- Do not drive, cycle, operate machinery or make important decisions until the next day, after a restful sleep.
- Arrange a ride home with a responsible adult before each session.

## Your right to stop
Taking part is your choice. You may ask to pause or stop a session, decline any session, or withdraw this consent at any time, in the portal or by telling us. Withdrawing will not affect your right to other care at {{clinicName}}.

## Alternatives
Other options include antidepressant and other medicines, psychotherapy without ketamine, other treatments your prescriber can discuss with you, or no treatment. You may ask for a referral for a second opinion.

## Confidentiality
Your record is private and protected by law. Your therapist's psychotherapy notes are kept apart from the rest of your record. We share information only for your care, with your written permission, or where the law requires or allows it, for example to prevent a serious threat to your health or safety or someone else's.

## Your agreement
By signing, I, {{patientName}}, confirm that I have read this form, that my questions have been answered, and that I agree to ketamine-assisted psychotherapy at {{clinicName}}. I understand that I can withdraw this consent at any time.`,
};

/*
 * IV infusion. Sources: 0.5 mg/kg over 40 minutes is the research standard: clinical-reference 2.1 (Fava 2020;
 * Murrough 2013). Series of up to 6 infusions over about two weeks in a study: 2.1 (Murrough Biol Psychiatry
 * 2013). Blood pressure every 10-15 minutes during and after the infusion in published series, peak at 30-40
 * minutes: 4.1 (Dunlop/Riva-Posse 2018; Yale 2024). Severe rises mostly in the first infusions: 4.1 (Yale 2024).
 * Discharge with a responsible adult: 4.5. No driving until the next day: 4.6.
 */
const iv: DemoTemplate = {
  kind: 'iv',
  title: 'Consent to ketamine by intravenous infusion (IV)',
  required: true,
  routes: ['iv'],
  body: `This form adds what is specific to receiving ketamine by IV infusion at {{clinicName}}. It goes with the general consent to ketamine-assisted psychotherapy, which still applies.

## How an infusion works
- A nurse places a thin plastic tube (a cannula) in a vein, usually in your arm or hand. A pump gives the ketamine slowly; in most research studies an infusion lasted about 40 minutes.
- Your prescriber sets the dose from your body weight and adjusts it over the course. You will not be given more than your plan allows.
- A course is usually a series of infusions over a few weeks; your plan says how many and how far apart.

## Monitoring
- Your blood pressure and heart rate are measured before the infusion, regularly during it, and for a while afterwards. In published studies the largest rises came about 30 to 40 minutes after the start, and severe rises were most common in the first few infusions.
- The infusion can be slowed or stopped at any moment, by staff or at your request.

## Specific risks
- Soreness, bruising or, rarely, irritation where the cannula goes in.
- A larger rise in blood pressure than expected. Staff will pause or stop the infusion and treat it if needed.

## Leaving
You stay until a clinician confirms you have recovered, then leave with a responsible adult. Do not drive until the next day, after a restful sleep.

I, {{patientName}}, agree to receive ketamine by IV infusion as described.`,
};

/*
 * IM injection. Sources: injected into the deltoid or gluteal muscle, onset within about 5 minutes and
 * lasting about 60 minutes (practice description): clinical-reference 2.2 [S]. Bioavailability about 93%
 * (Clements 1982, secondary): 2.2 [S]. Peak plasma 5-15 minutes: 2.2 [S]. Monitoring and discharge: 4.1, 4.5.
 */
const im: DemoTemplate = {
  kind: 'im',
  title: 'Consent to ketamine by intramuscular injection (IM)',
  required: true,
  routes: ['im'],
  body: `This form adds what is specific to receiving ketamine by injection into a muscle at {{clinicName}}. It goes with the general consent to ketamine-assisted psychotherapy, which still applies.

## How an injection works
- A clinician injects the dose into a muscle of your upper arm or buttock.
- Nearly all of an injected dose reaches the bloodstream, and it does so quickly: effects usually begin within about five minutes and last roughly an hour.
- Unlike an infusion, an injection cannot be slowed once given. This is why your dose is set with care and raised, if at all, only step by step.

## Monitoring
Staff check your blood pressure and heart rate before the injection and during the session, and stay with you while the effects are strongest.

## Specific risks
- Brief pain, redness or bruising at the injection site.
- Because the effects come on fast, dissociation and dizziness can start suddenly. Stay seated or lying down until staff say you may get up.

## Leaving
You stay until a clinician confirms you have recovered, then leave with a responsible adult. Do not drive until the next day, after a restful sleep.

I, {{patientName}}, agree to receive ketamine by intramuscular injection as described.`,
};

/*
 * Sublingual at home. Sources: tablets or lozenges held in the mouth; about 30% absorbed (Rolan 2014; Chong
 * 2006; Yanagihara 2003): clinical-reference 2.3. Effects begin after 15-20 minutes and fade over 1-2 hours
 * (practice description): 2.3 [S]. At-home sessions with a physically present monitor (Mindbloom, Hull 2022):
 * 2.3 [S], 5.3 [S]. Schedule III, records, and theft or loss reported by the clinic: 6 (21 CFR 1301.76(b)).
 * Interactions: 3.3. No driving until the next day: 4.6, 2.5. Dose log: the record of each dose taken mirrors
 * the dispensing record the clinic keeps (6, 21 CFR 1304.22(c)). No dose is stated: 2.3 gives only ranges from
 * practices, and the prescriber sets the dose. A first dose in the clinic is a practice option (in-office and
 * supervised at-home use: 5.1, Dore 2019), not a rule.
 */
const sublingualHome: DemoTemplate = {
  kind: 'sublingual-home',
  title: 'Consent to sublingual ketamine at home',
  required: true,
  routes: ['sublingual', 'oral'],
  body: `This form adds what is specific to taking ketamine tablets or lozenges at home, as prescribed by {{clinicName}}. It goes with the general consent to ketamine-assisted psychotherapy, which still applies. Home sessions carry risks that clinic sessions do not, because no clinician is in the room; these rules exist to manage them.

## How it works
- You hold the tablet or lozenge under your tongue or against your cheek until it dissolves, as your prescriber shows you, and then spit out or swallow what is left as instructed. Only part of the dose is absorbed this way.
- Effects usually begin after 15 to 20 minutes and fade over the following one to two hours.
- Your prescriber may ask you to take a first dose in the clinic, so that you both know how you respond.

## Storage
- Ketamine is a controlled substance. Keep it in its original labeled container, in a locked place, out of reach of children, visitors and pets.
- Never give or sell it to anyone, and never take more than your prescribed dose, or more often.
- If any is lost or stolen, tell the clinic the same day: the clinic must account for every dose and report thefts and losses.
- Ask the clinic what to do with any doses you do not use; do not throw them away.

## A sitter for every session
- A responsible adult who knows what you are taking must stay with you, in person, for the whole session and until the effects have worn off. They should be sober and able to call for help.
- Sit or lie somewhere safe and comfortable, away from stairs, water, and anything hot or sharp. Do not bathe, cook or go outside during the session.

## Safety rules
- Follow the fasting instructions your care team gives you.
- Do not combine ketamine with alcohol, cannabis, benzodiazepines, opioids or sleep medicines unless your prescriber has told you it is safe.
- Do not drive, cycle or operate machinery until the next day, after a restful sleep.
- Call 911 for chest pain, trouble breathing, a severe headache, confusion that does not pass, or if you cannot be woken. For thoughts of harming yourself, call or text 988.

## Dose log
Record every dose in the portal or on the log the clinic gives you: the date and time, the dose taken, who sat with you, and how you felt during and after. Bring the log and your remaining supply to each visit; your prescriber reviews them before renewing a prescription.

I, {{patientName}}, agree to take ketamine at home only as prescribed and to follow these rules. I understand that the clinic may stop home treatment if they are not followed.`,
};

/*
 * Esketamine (SPRAVATO) and its REMS. Sources, clinical-reference 2.5 and 2.6 (SPRAVATO US label and REMS):
 * self-administered under direct observation, 28 mg per device, 5 minutes between devices; no food for 2
 * hours and no liquids for 30 minutes before; nasal steroids or decongestants at least 1 hour before; blood
 * pressure before and about 40 minutes after; pulse oximetry; at least 2 hours of observation and until a
 * clinician judges the patient stable; never dispensed for home use; a Patient Monitoring Form after every
 * session; no driving until the next day after a restful sleep; sedation in 48-61% and loss of consciousness
 * in 0.3-0.4%. Dissociation in 61-84%: 1.11 (PI 5.2). Contraindications: 3.1. Boxed suicidality warning: 3.2.
 * Pregnancy and breastfeeding: 2.5.
 */
const esketamine: DemoTemplate = {
  kind: 'esketamine',
  title: 'Consent to esketamine nasal spray (SPRAVATO)',
  required: true,
  routes: ['intranasal'],
  body: `This form adds what is specific to esketamine nasal spray (SPRAVATO) at {{clinicName}}. It goes with the general consent to ketamine-assisted psychotherapy, which still applies.

## About esketamine
- Esketamine is a form of ketamine given as a nasal spray. Like ketamine, it is a Schedule III controlled substance.
- Its use is governed by a federal safety program (a REMS). Under it, esketamine is used only in a certified healthcare setting, under the direct observation of a healthcare provider, and it is never given to patients to take home.
- Esketamine must not be used by people who have an aneurysm or another disease of the blood vessels, an arteriovenous malformation, a past bleed in the brain, or an allergy to esketamine or ketamine.

## Before each session
- Do not eat for at least 2 hours and do not drink for at least 30 minutes before your session.
- If you use a steroid or decongestant nasal spray, use it at least 1 hour before.
- Arrange a ride home: you will not be able to drive.

## During the session
- You spray the medicine into your own nose, one device at a time, with a 5-minute wait after each, while a healthcare provider watches.
- We measure your blood pressure before the dose and about 40 minutes after, then as needed until it has settled. A pulse oximeter checks your oxygen level.
- You stay in the clinic under observation for at least 2 hours after the dose, and until a clinician confirms that any sleepiness, dissociation or breathing problems have gone. This 2-hour observation is required by the REMS and cannot be shortened.

## Specific risks
- Dissociation is very common with esketamine. Sleepiness is also common, and in rare cases people become unresponsive for a time; this is why you are observed.
- Blood pressure often rises after the dose; it is checked until it settles.
- Antidepressant medicines carry a warning about suicidal thoughts and behavior. Tell us, or call or text 988, if these thoughts appear or get worse.
- Esketamine is not recommended during pregnancy or breastfeeding.

## Information sent to the REMS
After each session the clinic completes a monitoring form for the REMS program with your name, date of birth, the dose, your blood pressure readings and how you were monitored, as the program requires.

## After the session
Do not drive or operate machinery until the next day, after a restful sleep.

I, {{patientName}}, agree to receive esketamine nasal spray at {{clinicName}} under the REMS program as described.`,
};

/*
 * Optional: supportive touch. No clinical number or rule is stated. Dissociation can limit consent given in
 * the moment (clinical-reference 1.11, 4.4), which is why touch is agreed beforehand, with a signal.
 */
const touch: DemoTemplate = {
  kind: 'touch',
  title: 'Optional consent to supportive touch',
  required: false,
  routes: [],
  body: `Some people find a brief, supportive touch grounding during a ketamine session, such as a hand held or a hand on the shoulder. This form asks whether you want that. It is entirely optional: your treatment at {{clinicName}} is the same whether or not you sign it.

## What we agree
- Touch is offered only in the ways you and your therapist agree on in a preparation session, written in your notes: for example holding your hand, or a hand on your shoulder, upper arm or upper back.
- Touch is never sexual and never involves the chest, groin, buttocks or any other private area.
- During a session your sense of your body and of time can change, which makes it harder to decide in the moment. That is why we agree beforehand, and agree on a signal (a word or a gesture) that means "stop": staff stop at once, without asking why.
- Your therapist will still ask before touching you, whenever you are able to answer.
- Staff may always touch you when needed for your safety or for medical care (for example to check your blood pressure or to steady you).

## Changing your mind
You can change or withdraw this consent at any time: before a session, during one with your signal, or in the portal.

I, {{patientName}}, agree to supportive touch as agreed with my therapist and described above.`,
};

/*
 * Optional: recording. Psychotherapy notes and recordings kept apart; use in supervised training programs
 * is a HIPAA-recognised use: clinical-reference 7.1 (45 CFR 164.501, 164.508(a)(2)). No clinical number.
 */
const recording: DemoTemplate = {
  kind: 'recording',
  title: 'Optional consent to audio or video recording of sessions',
  required: false,
  routes: [],
  body: `{{clinicName}} asks whether it may make audio or video recordings of some of your sessions. This is optional: your treatment is the same whether or not you sign.

## Why we record
- For you: a recording can help you recall and work with your experience in integration sessions.
- For quality and training: your therapist may review a recording with a clinical supervisor, within the clinic's supervised training.

## How recordings are kept
- Recordings are stored securely with your therapist's notes, apart from the rest of your record, and only the people involved in your care and their supervisors may view them.
- They are never shared outside the clinic, used in teaching outside supervision, or published without your separate written permission.
- You will always be told before a recording starts, and you may ask for it to be stopped at any moment.

## Changing your mind
You can withdraw this consent at any time. No new recordings are made after that; ask us what happens to recordings already made.

I, {{patientName}}, agree that my sessions may be recorded as described.`,
};

/*
 * Optional: research use of data. Researchers see de-identified data only (blueprint 1; the researcher role).
 * Treatment may not be conditioned on an authorization: by analogy with clinical-reference 7.1 (45 CFR
 * 164.508(b)(4)). The measures named are those the clinic collects: 1.1, 1.3, 1.4.
 */
const research: DemoTemplate = {
  kind: 'research',
  title: 'Optional consent to research use of your de-identified data',
  required: false,
  routes: [],
  body: `{{clinicName}} studies how well its treatment works so that it can improve care and share what it learns. This form asks whether your information may be included. It is optional: saying no does not change your treatment in any way.

## What would be used
- Your questionnaire scores (such as the PHQ-9 for depression, the GAD-7 for anxiety and the PCL-5 for trauma symptoms), the dates and number of your sessions, the treatment route, side effects, and your age range and sex.
- Your name, contact details, record number and the content of your therapy sessions are never included.

## How it is protected
- Researchers see only de-identified information: they cannot see who you are.
- Results are reported only as groups of patients, never about one person.

## Changing your mind
You may withdraw at any time. Your information is then left out of any analysis that starts after you withdraw; results already produced cannot be changed.

I, {{patientName}}, agree that my de-identified information may be used for research as described.`,
};

export const demoConsentTemplates: readonly DemoTemplate[] = [
  general,
  iv,
  im,
  sublingualHome,
  esketamine,
  touch,
  recording,
  research,
];

/** Creates the demo forms in a clinic, each published as version 1 by the given staff member (the admin). */
export async function seedDemoConsentTemplates(
  tx: Db,
  clinicId: string,
  publishedByUserId: string,
  now: Date,
): Promise<void> {
  for (const t of demoConsentTemplates) {
    const templateId = randomUUID();
    await tx.insert(consentTemplate).values({
      id: templateId,
      clinicId,
      kind: t.kind,
      title: t.title,
      required: t.required,
      routes: t.routes,
      createdAt: now,
      createdBy: publishedByUserId,
    });
    await tx.insert(consentTemplateVersion).values({
      id: randomUUID(),
      clinicId,
      templateId,
      version: 1,
      title: t.title,
      body: t.body,
      changeNote: null,
      publishedAt: now,
      publishedBy: publishedByUserId,
    });
  }
}
