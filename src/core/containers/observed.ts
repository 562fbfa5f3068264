/** A container as the engine describes it now, running or not: what `ps`, `rm` and `reconcile` look at. */
export interface ObservedContainer {
  readonly id: string;
  readonly name: string;
  /** The engine's word: `running`, `exited`, `created`, `paused`, `restarting`, `dead`. */
  readonly state: string;
  readonly image: string;
  /** `no`, `always`, `unless-stopped`, `on-failure`; `no` when none was set. */
  readonly restartPolicy: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly networks: readonly ContainerNetwork[];
  readonly mounts: readonly ContainerMount[];
}

/** A network a container is attached to, with the addresses it was configured with (else the ones it has now). */
export interface ContainerNetwork {
  readonly name: string;
  /** The engine network's id the container points at; a network removed and made again has another. */
  readonly networkId: string;
  readonly ipv6?: string;
  readonly ipv4?: string;
}

export interface ContainerMount {
  readonly type: string;
  /** Host path of a bind mount, or the volume's name. */
  readonly source: string;
  readonly target: string;
}

/** True when the engine will start the container again by itself (after a reboot, say). */
export function comesBack(container: ObservedContainer): boolean {
  return container.state === 'running' || container.state === 'restarting' || (container.restartPolicy !== 'no' && container.restartPolicy !== '');
}
