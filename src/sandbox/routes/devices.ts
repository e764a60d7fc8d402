/**
 * WDM, the device registrations the `webex` SDK makes before it opens the Mercury socket
 * (@webex/internal-plugin-device/src/device.js): register (`POST devices`), refresh (`PUT` to
 * the device's url; 404 makes it register anew), unregister (`DELETE` it), and what the
 * framework's `removeDeviceRegistrationsOnStart` calls: `DELETE devices`, every one of the
 * caller's. `GET devices` lists them as `{devices: […]}`. A person holds at most
 * DEVICE_LIMIT registrations; one more is a 403 saying "User has excessive device registrations".
 */
import express, { Router, type Response } from 'express';
import { callerOf, requireAuth, sendWebexError } from '../http';
import { SERVICE_PATHS } from '../mercury/catalog';
import { deviceView, devicesOf, refreshDevice, registerDevice } from '../mercury/devices';
import type { SandboxDevice, SandboxState } from '../state';
import { originOf } from './u2c';

const NOT_FOUND = 'The requested resource could not be found.';

export interface DevicesDeps {
  state: SandboxState;
  /** Closes a deleted device's live socket. */
  closeSocketsOf(deviceId: string): void;
}

/**
 * @example app.use(devicesRouter({ state, closeSocketsOf: (id) => hub.drop({ deviceId: id }) }))
 */
export function devicesRouter({ state, closeSocketsOf }: DevicesDeps): Router {
  const router = Router();
  const base = `${SERVICE_PATHS.wdm}/devices`;
  router.use(base, requireAuth(state), express.json());

  /** The caller's own device named in the path, or a 404 sent. */
  const ownDevice = (id: string, res: Response): SandboxDevice | undefined => {
    const device = state.devices.get(id);
    if (!device || device.personId !== callerOf(res).person.id) {
      sendWebexError(res, 404, NOT_FOUND);
      return undefined;
    }
    return device;
  };
  const remove = (device: SandboxDevice) => {
    state.devices.delete(device.id);
    closeSocketsOf(device.id);
  };

  router.post(base, (req, res) => {
    const registered = registerDevice(state, callerOf(res).person.id, req.body);
    if (!registered.ok) {
      sendWebexError(res, 403, registered.message);
      return;
    }
    res.json(deviceView(registered.device, originOf(req)));
  });

  router.get(base, (req, res) => {
    const devices = devicesOf(state, callerOf(res).person.id);
    res.json({ devices: devices.map((device) => deviceView(device, originOf(req))) });
  });

  router.delete(base, (_req, res) => {
    for (const device of devicesOf(state, callerOf(res).person.id)) remove(device);
    res.status(204).end();
  });

  router.get(`${base}/:deviceId`, (req, res) => {
    const device = ownDevice(req.params.deviceId, res);
    if (device) res.json(deviceView(device, originOf(req)));
  });

  router.put(`${base}/:deviceId`, (req, res) => {
    const device = ownDevice(req.params.deviceId, res);
    if (!device) return;
    refreshDevice(device, req.body);
    res.json(deviceView(device, originOf(req)));
  });

  router.delete(`${base}/:deviceId`, (req, res) => {
    const device = ownDevice(req.params.deviceId, res);
    if (!device) return;
    remove(device);
    res.status(204).end();
  });

  return router;
}
