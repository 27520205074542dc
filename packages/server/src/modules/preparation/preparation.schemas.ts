import { z } from 'zod';
import { psychoeducationTopics } from '../../db/schema/plans.ts';

const text = (max: number) => z.string().trim().max(max).nullable().optional();
const item = z.strictObject({
  /** Client-generated, stable across versions, so a treatment plan can link to the goal. */
  id: z.uuid(),
  text: z.string().trim().min(1).max(1000),
});

/** The note as the therapist writes it (a progress note of the record, not a psychotherapy note). */
export const preparationContentSchema = z
  .strictObject({
    sessionDate: z.iso.date().nullable().optional(),
    goals: z.array(item).max(20).default([]),
    intentions: z.array(item).max(20).default([]),
    concerns: text(4000),
    psychoeducation: z
      .array(
        z.strictObject({
          topic: z.enum(psychoeducationTopics),
          covered: z.boolean(),
          note: text(1000),
        }),
      )
      .max(psychoeducationTopics.length)
      .default([]),
    setAndSetting: z
      .strictObject({
        music: text(500),
        eyeMask: z.boolean().nullable().optional(),
        lighting: text(200),
        blanket: z.boolean().nullable().optional(),
        other: text(1000),
      })
      .default({}),
    supportPerson: z
      .strictObject({
        name: z.string().trim().min(1).max(200),
        relationship: z.string().trim().min(1).max(100),
        phone: z.string().trim().min(3).max(40).nullable().optional(),
      })
      .nullable()
      .optional(),
    rideHome: z
      .strictObject({
        name: z.string().trim().min(1).max(200),
        phone: z.string().trim().min(3).max(40),
        relationship: z.string().trim().min(1).max(100),
      })
      .nullable()
      .optional(),
  })
  .superRefine((content, issue) => {
    const topics = content.psychoeducation.map((p) => p.topic);
    topics.forEach((topic, index) => {
      if (topics.indexOf(topic) !== index)
        issue.addIssue({
          code: 'custom',
          path: ['psychoeducation', index, 'topic'],
          message: 'Listed twice.',
        });
    });
    const ids = [...content.goals, ...content.intentions].map((i) => i.id);
    ids.forEach((id, index) => {
      if (ids.indexOf(id) !== index)
        issue.addIssue({
          code: 'custom',
          path: ['goals'],
          message: 'Each goal and intention needs its own id.',
        });
    });
  });
export type PreparationContentInput = z.infer<typeof preparationContentSchema>;

export const preparationCreateSchema = z.strictObject({ content: preparationContentSchema });

export const preparationUpdateSchema = z.strictObject({
  /** The revision the therapist edited (optimistic concurrency). */
  revision: z.number().int().min(1),
  content: preparationContentSchema,
  /** Required once the note is signed: the save is then an amendment (a new signed version). */
  amendmentReason: z.string().trim().min(3).max(2000).optional(),
  /** Client-generated id of an amendment save: a retry returns the same version. */
  saveId: z.uuid().optional(),
});

export const preparationSignatureSchema = z.strictObject({
  /** Client-generated: a retried signature returns the signed note instead of failing. */
  signatureId: z.uuid(),
  revision: z.number().int().min(1),
});

const contentView = z.object({
  sessionDate: z.string().nullable(),
  goals: z.array(z.object({ id: z.uuid(), text: z.string() })),
  intentions: z.array(z.object({ id: z.uuid(), text: z.string() })),
  concerns: z.string().nullable(),
  psychoeducation: z.array(
    z.object({ topic: z.enum(psychoeducationTopics), covered: z.boolean(), note: z.string().nullable() }),
  ),
  setAndSetting: z.object({
    music: z.string().nullable(),
    eyeMask: z.boolean().nullable(),
    lighting: z.string().nullable(),
    blanket: z.boolean().nullable(),
    other: z.string().nullable(),
  }),
  supportPerson: z
    .object({ name: z.string(), relationship: z.string(), phone: z.string().nullable() })
    .nullable(),
  rideHome: z.object({ name: z.string(), phone: z.string(), relationship: z.string() }).nullable(),
});

const person = z.object({ id: z.uuid(), displayName: z.string() }).nullable();

export const preparationNoteView = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  status: z.enum(['draft', 'signed']),
  revision: z.number(),
  /** The working copy while a draft; the latest signed version once signed. */
  content: contentView,
  createdAt: z.string(),
  createdBy: person,
  updatedAt: z.string(),
  versions: z.array(
    z.object({
      id: z.uuid(),
      version: z.number(),
      content: contentView,
      amendmentReason: z.string().nullable(),
      signedAt: z.string(),
      signedBy: person,
    }),
  ),
});
export type PreparationNoteView = z.infer<typeof preparationNoteView>;
