import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { confirmPasswordForSignature } from '../auth/auth.service.ts';
import {
  adjustmentInputSchema,
  correctionInputSchema,
  dispensableLotsQuerySchema,
  entriesPage,
  entriesQuerySchema,
  entryView,
  locationInputSchema,
  locationUpdateSchema,
  locationView,
  lossFilingInputSchema,
  lossFilingView,
  lossInputSchema,
  lossReportView,
  lotsQuerySchema,
  lotView,
  productBalanceView,
  productInputSchema,
  productView,
  receiptInputSchema,
  transferInputSchema,
  wasteInputSchema,
} from './ledger.schemas.ts';
import * as ledger from './ledger.service.ts';

/** The controlled-substance ledger's routes (clinical-reference 6). Reports and counts: ledger-reports. */
export function ledgerRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['ledger'];
  const base = '/api/v1/ledger';
  const recorded = { 200: entryView, 201: entryView };
  const send = (reply: FastifyReply, result: ledger.Recorded) =>
    reply
      .status(result.created ? 201 : 200)
      .header('cache-control', 'no-store')
      .send(result.entry);

  // Locations ----------------------------------------------------------------------------------------

  app.get(
    `${base}/locations`,
    {
      config: { permission: 'ledger.read' },
      schema: {
        tags,
        summary: "The clinic's registered locations (DEA registrations)",
        response: { 200: z.object({ items: z.array(locationView) }) },
      },
    },
    async (request) => ({ items: await run(request, (ctx) => ledger.listLocations(ctx)) }),
  );

  app.post(
    `${base}/locations`,
    {
      config: { permission: 'ledger.locations.manage' },
      schema: {
        tags,
        summary: 'Set up a registered location: name, address and DEA registration number',
        body: locationInputSchema,
        response: { 201: locationView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await run(request, (ctx) => ledger.createLocation(ctx, request.body))),
  );

  app.patch(
    `${base}/locations/:locationId`,
    {
      config: { permission: 'ledger.locations.manage' },
      schema: {
        tags,
        summary: "Correct a location's name, address or registration number",
        params: z.strictObject({ locationId: z.uuid() }),
        body: locationUpdateSchema,
        response: { 200: locationView },
      },
    },
    async (request) =>
      run(request, (ctx) => ledger.updateLocation(ctx, request.params.locationId, request.body)),
  );

  // Products, lots and balances ---------------------------------------------------------------------

  app.get(
    `${base}/products`,
    {
      config: { permission: 'ledger.read' },
      schema: {
        tags,
        summary: 'Products as bought: substance, finished form, concentration, container size, NDC',
        response: { 200: z.object({ items: z.array(productView) }) },
      },
    },
    async (request) => ({ items: await run(request, (ctx) => ledger.listProducts(ctx)) }),
  );

  app.post(
    `${base}/products`,
    {
      config: { permission: 'ledger.record' },
      schema: {
        tags,
        summary: 'Add a product (by NDC) before its first receipt',
        body: productInputSchema,
        response: { 201: productView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await run(request, (ctx) => ledger.createProduct(ctx, request.body))),
  );

  app.get(
    `${base}/lots`,
    {
      config: { permission: 'ledger.read' },
      schema: {
        tags,
        summary: 'Stock by lot: each balance is the sum of the lot’s entries',
        querystring: lotsQuerySchema,
        response: { 200: z.object({ items: z.array(lotView) }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const { includeEmpty, ...query } = request.query;
      return {
        items: await run(request, (ctx) =>
          ledger.listLots(ctx, { ...query, includeEmpty: includeEmpty === 'true' }),
        ),
      };
    },
  );

  app.get(
    `${base}/lots/dispensable`,
    {
      config: { permission: 'ledger.read' },
      schema: {
        tags,
        summary: 'Lots a dose may be drawn from: the product, a form for the route, not expired, in stock',
        querystring: dispensableLotsQuerySchema,
        response: { 200: z.object({ items: z.array(lotView) }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { items: await run(request, (ctx) => ledger.listDispensableLots(ctx, request.query)) };
    },
  );

  app.get(
    `${base}/lots/:lotId`,
    {
      config: { permission: 'ledger.read' },
      schema: {
        tags,
        summary: 'One lot and its balance',
        params: z.strictObject({ lotId: z.uuid() }),
        response: { 200: lotView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => ledger.findLot(ctx, request.params.lotId));
    },
  );

  app.get(
    `${base}/balances`,
    {
      config: { permission: 'ledger.read' },
      schema: {
        tags,
        summary: 'Stock by product and location: the sum of its lots',
        querystring: z.strictObject({ locationId: z.uuid().optional() }),
        response: { 200: z.object({ items: z.array(productBalanceView) }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { items: await run(request, (ctx) => ledger.productBalances(ctx, request.query)) };
    },
  );

  // Entries -----------------------------------------------------------------------------------------

  app.get(
    `${base}/entries`,
    {
      config: { permission: 'ledger.read' },
      schema: {
        tags,
        summary: 'Ledger entries, newest first, in cursor pages',
        querystring: entriesQuerySchema,
        response: { 200: entriesPage },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => ledger.listEntries(ctx, request.query));
    },
  );

  app.get(
    `${base}/entries/:entryId`,
    {
      config: { permission: 'ledger.read' },
      schema: {
        tags,
        summary: 'One ledger entry',
        params: z.strictObject({ entryId: z.uuid() }),
        response: { 200: entryView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => ledger.getEntry(ctx, request.params.entryId));
    },
  );

  app.post(
    `${base}/receipts`,
    {
      config: { permission: 'ledger.record' },
      schema: {
        tags,
        summary: 'Record containers received from a supplier; idempotent by the client id',
        body: receiptInputSchema,
        response: recorded,
      },
    },
    async (request, reply) =>
      send(reply, await run(request, (ctx) => ledger.recordReceipt(ctx, request.body))),
  );

  app.post(
    `${base}/wastes`,
    {
      config: { permission: 'ledger.record' },
      schema: {
        tags,
        summary:
          'Record drug wasted before a witness, who re-enters their password; idempotent by the client id',
        body: wasteInputSchema,
        response: recorded,
      },
    },
    async (request, reply) => {
      const { id, witness, ...rest } = request.body;
      // The witness's password is checked in a transaction of its own first, so a wrong one counts toward
      // their lockout even though the waste is refused (recordWaste checks it again inside its own).
      await confirmWitnessBeforeWork(request, witness);
      return send(
        reply,
        await run(request, (ctx) => ledger.recordWaste(ctx, { clientId: id, witness, ...rest })),
      );
    },
  );

  app.post(
    `${base}/transfers`,
    {
      config: { permission: 'ledger.record' },
      schema: {
        tags,
        summary: 'Record stock returned to a reverse distributor or transferred; idempotent by the client id',
        body: transferInputSchema,
        response: recorded,
      },
    },
    async (request, reply) =>
      send(reply, await run(request, (ctx) => ledger.recordTransfer(ctx, request.body))),
  );

  app.post(
    `${base}/losses`,
    {
      config: { permission: 'ledger.record' },
      schema: {
        tags,
        summary: 'Record a theft or loss with the DEA Form 106 data; the clinic’s admins are alerted',
        body: lossInputSchema,
        response: recorded,
      },
    },
    async (request, reply) => send(reply, await run(request, (ctx) => ledger.recordLoss(ctx, request.body))),
  );

  app.get(
    `${base}/losses/open`,
    {
      config: { permission: 'ledger.read' },
      schema: {
        tags,
        summary: 'Thefts and losses whose DEA Form 106 is not yet submitted, with the 45-day deadline',
        response: { 200: z.object({ items: z.array(lossReportView) }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { items: await run(request, (ctx) => ledger.listOpenLosses(ctx)) };
    },
  );

  app.post(
    `${base}/losses/:lossId/filings`,
    {
      config: { permission: 'ledger.record' },
      schema: {
        tags,
        summary: 'Record the DEA field-office notice or the Form 106 filed for a theft or loss',
        params: z.strictObject({ lossId: z.uuid() }),
        body: lossFilingInputSchema,
        response: { 200: lossFilingView, 201: lossFilingView },
      },
    },
    async (request, reply) => {
      const result = await run(request, (ctx) =>
        ledger.recordLossFiling(ctx, request.params.lossId, request.body),
      );
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.filing);
    },
  );

  app.post(
    `${base}/adjustments`,
    {
      config: { permission: 'ledger.adjust' },
      schema: {
        tags,
        summary: 'Adjust a lot’s balance with a reason, signed with the admin’s password',
        body: adjustmentInputSchema,
        response: recorded,
      },
    },
    async (request, reply) => {
      const { password, ...input } = request.body;
      await confirmPasswordForSignature(deps, actorOf(request), password, requestMeta(request));
      return send(reply, await run(request, (ctx) => ledger.recordAdjustment(ctx, input)));
    },
  );

  app.post(
    `${base}/corrections`,
    {
      config: { permission: 'ledger.adjust' },
      schema: {
        tags,
        summary: 'Reverse an entry made in error (a reversing entry), signed with the admin’s password',
        body: correctionInputSchema,
        response: recorded,
      },
    },
    async (request, reply) => {
      const { password, ...input } = request.body;
      await confirmPasswordForSignature(deps, actorOf(request), password, requestMeta(request));
      return send(reply, await run(request, (ctx) => ledger.recordCorrection(ctx, input)));
    },
  );

  function confirmWitnessBeforeWork(
    request: FastifyRequest,
    witness: { username: string; password: string },
  ): Promise<void> {
    return ledger.confirmWitnessPassword(deps, actorOf(request), witness, requestMeta(request));
  }
}
