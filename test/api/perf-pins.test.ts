/**
 * Byte-for-byte pins of what the managedFields bookkeeping and the protobuf codec produce for a
 * handful of representative objects (a defaulted Deployment as kubectl creates it, a Pod with
 * non-ASCII and astral map keys, micro times, bytes, raw extensions, int-or-strings, a list).
 * The expected strings were recorded from the implementation before its performance work; any
 * change to FieldsV1 key order, managedFields entries or protobuf bytes makes these fail.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinSchemas } from '../../src/api/index.js';
import { FieldManager } from '../../src/api/apply/index.js';
import { ProtobufCodec } from '../../src/api/protobuf/codec.js';
import type { ApiObject } from '../../src/apiserver/registry/resource.js';

const DEPLOYMENT: ApiObject = {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default","uid":"6cb35c46-2d5e-48c5-965e-b9c7870cab21","resourceVersion":"10","generation":1,"creationTimestamp":"2026-11-25T16:44:46Z","labels":{"app":"web"}},"spec":{"progressDeadlineSeconds":600,"replicas":2,"revisionHistoryLimit":10,"selector":{"matchLabels":{"app":"web"}},"strategy":{"rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"},"type":"RollingUpdate"},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx","imagePullPolicy":"Always","name":"nginx","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}},"status":{}};
const POD: ApiObject = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', labels: { 'é': 'accent', z: 'last', A: 'upper', '\u{1F600}': 'astral' }, annotations: { b: '2', a: '1' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true }] },
  spec: {
    volumes: [{ name: 'cfg', configMap: { name: 'settings', items: [{ key: 'a', path: 'a.txt' }], defaultMode: 420 } }, { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }],
    containers: [{
      name: 'app', image: 'busybox', command: ['sh', '-c', 'sleep 1d'],
      ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP', name: 'dns' }],
      resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m', 'example.com/gpu': '1' } },
      livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 3, periodSeconds: 10 },
      startupProbe: { tcpSocket: { port: 8080 } },
      securityContext: { runAsUser: 0, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      env: [{ name: 'A', value: 'x' }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
    }],
    priority: -5, terminationGracePeriodSeconds: 1099511627776,
    securityContext: { supplementalGroups: [1000, 2000], fsGroup: 2000 },
    tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }],
  },
  status: { phase: 'Running', podIP: '10.0.0.5', startTime: '2024-05-01T10:00:00Z', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'busybox', imageID: 'sha', state: { running: { startedAt: '2024-05-01T10:00:01Z' } } }] },
};
const EVENT: ApiObject = {
  apiVersion: 'events.k8s.io/v1', kind: 'Event',
  metadata: { name: 'e.1', namespace: 'default' }, eventTime: '2024-05-01T10:00:00.123456789Z',
  series: { count: 2, lastObservedTime: '2024-05-01T10:00:09.000001Z' },
  reportingController: 'kubelet', reportingInstance: 'node-1', action: 'Pulling', reason: 'Pulling',
  regarding: { kind: 'Pod', namespace: 'default', name: 'p', uid: 'u', apiVersion: 'v1', fieldPath: 'spec.containers{app}' },
  note: 'Pulling image <é>', type: 'Normal',
};
const SECRET: ApiObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { 'tls.key': 'AAEC/w==', empty: '' }, immutable: false };
const REVISION: ApiObject = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'web-5d8f' }, data: { spec: { template: { b: 1, a: [true, null, 'x'] } } }, revision: 3 };
const SERVICE: ApiObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'web' }, { name: 'm', protocol: 'TCP', port: 9090, targetPort: 9091 }], clusterIPs: ['10.96.0.10'] } };
const LIST: ApiObject = { apiVersion: 'apps/v1', kind: 'DeploymentList', metadata: { resourceVersion: '42', continue: 'tok', remainingItemCount: 0 }, items: [{ metadata: { name: 'a' }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } }] };

/** The recorded outputs. */
const PINS = {
  createManaged:
    "[{\"manager\":\"kubectl-create\",\"operation\":\"Update\",\"apiVersion\":\"apps/v1\",\"time\":\"2026-11-25T16:44:46Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},\"f:spec\":{\"f:progressDeadlineSeconds\":{},\"f:replicas\":{},\"f:revisionHistoryLimit\":{},\"f:selector\":{},\"f:strategy\":{\"f:rollingUpdate\":{\".\":{},\"f:maxSurge\":{},\"f:maxUnavailable\":{}},\"f:type\":{}},\"f:template\":{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},\"f:image\":{},\"f:imagePullPolicy\":{},\"f:name\":{},\"f:resources\":{},\"f:terminationMessagePath\":{},\"f:terminationMessagePolicy\":{}}},\"f:dnsPolicy\":{},\"f:restartPolicy\":{},\"f:schedulerName\":{},\"f:securityContext\":{},\"f:terminationGracePeriodSeconds\":{}}}}}}]",
  deploymentHex:
    "6b3873000a150a07617070732f7631120a4465706c6f796d656e7412f6070af7050a0377656212001a0764656661756c7422002a2436636233356334362d326435652d343863352d393635652d623963373837306361623231320231303801420808fea09cd80610005a0a0a0361707012037765628a019f050a0e6b75626563746c2d63726561746512065570646174651a07617070732f7631220808fea09cd806100032084669656c647356313ae5040ae2047b22663a6d65746164617461223a7b22663a6c6162656c73223a7b222e223a7b7d2c22663a617070223a7b7d7d7d2c22663a73706563223a7b22663a70726f6772657373446561646c696e655365636f6e6473223a7b7d2c22663a7265706c69636173223a7b7d2c22663a7265766973696f6e486973746f72794c696d6974223a7b7d2c22663a73656c6563746f72223a7b7d2c22663a7374726174656779223a7b22663a726f6c6c696e67557064617465223a7b222e223a7b7d2c22663a6d61785375726765223a7b7d2c22663a6d6178556e617661696c61626c65223a7b7d7d2c22663a74797065223a7b7d7d2c22663a74656d706c617465223a7b22663a6d65746164617461223a7b22663a6c6162656c73223a7b222e223a7b7d2c22663a617070223a7b7d7d7d2c22663a73706563223a7b22663a636f6e7461696e657273223a7b226b3a7b5c226e616d655c223a5c226e67696e785c227d223a7b222e223a7b7d2c22663a696d616765223a7b7d2c22663a696d61676550756c6c506f6c696379223a7b7d2c22663a6e616d65223a7b7d2c22663a7265736f7572636573223a7b7d2c22663a7465726d696e6174696f6e4d65737361676550617468223a7b7d2c22663a7465726d696e6174696f6e4d657373616765506f6c696379223a7b7d7d7d2c22663a646e73506f6c696379223a7b7d2c22663a72657374617274506f6c696379223a7b7d2c22663a7363686564756c65724e616d65223a7b7d2c22663a7365637572697479436f6e74657874223a7b7d2c22663a7465726d696e6174696f6e4772616365506572696f645365636f6e6473223a7b7d7d7d7d7d420012eb010802120c0a0a0a0361707012037765621aa6010a1c0a0012001a0022002a003200380042005a0a0a03617070120377656212850112400a056e67696e7812056e67696e782a0042006a142f6465762f7465726d696e6174696f6e2d6c6f677206416c77617973800100880100900100a2010446696c651a06416c77617973201e320c436c7573746572466972737442004a00520058006000680072008201008a01009a011164656661756c742d7363686564756c6572c2010022270a0d526f6c6c696e6755706461746512160a09080110001a033235251209080110001a033235252800300a380048d8041a0c0800100018002000280038001a002200",
  deploymentDecoded:
    "{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"uid\":\"6cb35c46-2d5e-48c5-965e-b9c7870cab21\",\"resourceVersion\":\"10\",\"generation\":1,\"creationTimestamp\":\"2026-11-25T16:44:46Z\",\"labels\":{\"app\":\"web\"},\"managedFields\":[{\"manager\":\"kubectl-create\",\"operation\":\"Update\",\"apiVersion\":\"apps/v1\",\"time\":\"2026-11-25T16:44:46Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},\"f:spec\":{\"f:progressDeadlineSeconds\":{},\"f:replicas\":{},\"f:revisionHistoryLimit\":{},\"f:selector\":{},\"f:strategy\":{\"f:rollingUpdate\":{\".\":{},\"f:maxSurge\":{},\"f:maxUnavailable\":{}},\"f:type\":{}},\"f:template\":{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},\"f:image\":{},\"f:imagePullPolicy\":{},\"f:name\":{},\"f:resources\":{},\"f:terminationMessagePath\":{},\"f:terminationMessagePolicy\":{}}},\"f:dnsPolicy\":{},\"f:restartPolicy\":{},\"f:schedulerName\":{},\"f:securityContext\":{},\"f:terminationGracePeriodSeconds\":{}}}}}}]},\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx\",\"terminationMessagePath\":\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\",\"imagePullPolicy\":\"Always\"}],\"restartPolicy\":\"Always\",\"terminationGracePeriodSeconds\":30,\"dnsPolicy\":\"ClusterFirst\",\"securityContext\":{},\"schedulerName\":\"default-scheduler\"}},\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":\"25%\",\"maxSurge\":\"25%\"}},\"revisionHistoryLimit\":10,\"progressDeadlineSeconds\":600}}",
  updateManaged:
    "[{\"manager\":\"kubectl-create\",\"operation\":\"Update\",\"apiVersion\":\"apps/v1\",\"time\":\"2026-11-25T16:44:46Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},\"f:spec\":{\"f:progressDeadlineSeconds\":{},\"f:revisionHistoryLimit\":{},\"f:selector\":{},\"f:strategy\":{\"f:rollingUpdate\":{\".\":{},\"f:maxSurge\":{},\"f:maxUnavailable\":{}},\"f:type\":{}},\"f:template\":{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},\"f:name\":{},\"f:resources\":{},\"f:terminationMessagePath\":{},\"f:terminationMessagePolicy\":{}}},\"f:dnsPolicy\":{},\"f:restartPolicy\":{},\"f:schedulerName\":{},\"f:securityContext\":{},\"f:terminationGracePeriodSeconds\":{}}}}}},{\"manager\":\"kubectl-edit\",\"operation\":\"Update\",\"apiVersion\":\"apps/v1\",\"time\":\"2026-11-25T17:44:46Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:labels\":{\"f:tier\":{}}},\"f:spec\":{\"f:replicas\":{},\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\"f:image\":{}},\"k:{\\\"name\\\":\\\"side\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{}}}}}}}}]",
  applyManaged:
    "[{\"manager\":\"ssa\",\"operation\":\"Apply\",\"apiVersion\":\"apps/v1\",\"time\":\"2026-11-25T17:45:46Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:labels\":{\"f:team\":{}}},\"f:spec\":{\"f:replicas\":{},\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{}}}}}}}},{\"manager\":\"kubectl-create\",\"operation\":\"Update\",\"apiVersion\":\"apps/v1\",\"time\":\"2026-11-25T16:44:46Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},\"f:spec\":{\"f:progressDeadlineSeconds\":{},\"f:revisionHistoryLimit\":{},\"f:selector\":{},\"f:strategy\":{\"f:rollingUpdate\":{\".\":{},\"f:maxSurge\":{},\"f:maxUnavailable\":{}},\"f:type\":{}},\"f:template\":{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},\"f:name\":{},\"f:resources\":{},\"f:terminationMessagePath\":{},\"f:terminationMessagePolicy\":{}}},\"f:dnsPolicy\":{},\"f:restartPolicy\":{},\"f:schedulerName\":{},\"f:securityContext\":{},\"f:terminationGracePeriodSeconds\":{}}}}}},{\"manager\":\"kubectl-edit\",\"operation\":\"Update\",\"apiVersion\":\"apps/v1\",\"time\":\"2026-11-25T17:44:46Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:labels\":{\"f:tier\":{}}},\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"side\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{}}}}}}}}]",
  podManaged:
    "[{\"manager\":\"kubelet\",\"operation\":\"Update\",\"apiVersion\":\"v1\",\"time\":\"2026-11-25T17:45:46Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:annotations\":{\".\":{},\"f:a\":{},\"f:b\":{}},\"f:labels\":{\".\":{},\"f:A\":{},\"f:z\":{},\"f:é\":{},\"f:😀\":{}},\"f:ownerReferences\":{\".\":{},\"k:{\\\"uid\\\":\\\"u\\\"}\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"app\\\"}\":{\".\":{},\"f:command\":{},\"f:env\":{\".\":{},\"k:{\\\"name\\\":\\\"A\\\"}\":{\".\":{},\"f:name\":{},\"f:value\":{}},\"k:{\\\"name\\\":\\\"B\\\"}\":{\".\":{},\"f:name\":{},\"f:valueFrom\":{\".\":{},\"f:fieldRef\":{}}}},\"f:image\":{},\"f:livenessProbe\":{\".\":{},\"f:httpGet\":{\".\":{},\"f:path\":{},\"f:port\":{},\"f:scheme\":{}},\"f:initialDelaySeconds\":{},\"f:periodSeconds\":{}},\"f:name\":{},\"f:ports\":{\".\":{},\"k:{\\\"containerPort\\\":53,\\\"protocol\\\":\\\"UDP\\\"}\":{\".\":{},\"f:containerPort\":{},\"f:name\":{},\"f:protocol\":{}},\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},\"f:containerPort\":{}}},\"f:resources\":{\".\":{},\"f:limits\":{\".\":{},\"f:cpu\":{},\"f:memory\":{}},\"f:requests\":{\".\":{},\"f:cpu\":{},\"f:example.com/gpu\":{}}},\"f:securityContext\":{\".\":{},\"f:allowPrivilegeEscalation\":{},\"f:capabilities\":{\".\":{},\"f:drop\":{}},\"f:runAsUser\":{}},\"f:startupProbe\":{\".\":{},\"f:tcpSocket\":{\".\":{},\"f:port\":{}}}}},\"f:priority\":{},\"f:securityContext\":{\".\":{},\"f:fsGroup\":{},\"f:supplementalGroups\":{}},\"f:terminationGracePeriodSeconds\":{},\"f:tolerations\":{},\"f:volumes\":{\".\":{},\"k:{\\\"name\\\":\\\"cfg\\\"}\":{\".\":{},\"f:configMap\":{\".\":{},\"f:defaultMode\":{},\"f:items\":{},\"f:name\":{}},\"f:name\":{}},\"k:{\\\"name\\\":\\\"scratch\\\"}\":{\".\":{},\"f:emptyDir\":{\".\":{},\"f:medium\":{},\"f:sizeLimit\":{}},\"f:name\":{}}}},\"f:status\":{\"f:containerStatuses\":{},\"f:phase\":{},\"f:podIP\":{},\"f:startTime\":{}}}}]",
  PODHex:
    "6b3873000a090a0276311203506f6412ae110a9b0d0a017012001a026e7322002a003200380042005a0a0a0141120575707065725a090a017a12046c6173745a0c0a02c3a91206616363656e745a0e0a04f09f9880120661737472616c62060a016112013162060a01621201326a1e0a0a5265706c6963615365741a0272732201752a07617070732f763130018a019f0c0a076b7562656c657412065570646174651a027631220808cabd9cd806100032084669656c647356313af10b0aee0b7b22663a6d65746164617461223a7b22663a616e6e6f746174696f6e73223a7b222e223a7b7d2c22663a61223a7b7d2c22663a62223a7b7d7d2c22663a6c6162656c73223a7b222e223a7b7d2c22663a41223a7b7d2c22663a7a223a7b7d2c22663ac3a9223a7b7d2c22663af09f9880223a7b7d7d2c22663a6f776e65725265666572656e636573223a7b222e223a7b7d2c226b3a7b5c227569645c223a5c22755c227d223a7b7d7d7d2c22663a73706563223a7b22663a636f6e7461696e657273223a7b226b3a7b5c226e616d655c223a5c226170705c227d223a7b222e223a7b7d2c22663a636f6d6d616e64223a7b7d2c22663a656e76223a7b222e223a7b7d2c226b3a7b5c226e616d655c223a5c22415c227d223a7b222e223a7b7d2c22663a6e616d65223a7b7d2c22663a76616c7565223a7b7d7d2c226b3a7b5c226e616d655c223a5c22425c227d223a7b222e223a7b7d2c22663a6e616d65223a7b7d2c22663a76616c756546726f6d223a7b222e223a7b7d2c22663a6669656c64526566223a7b7d7d7d7d2c22663a696d616765223a7b7d2c22663a6c6976656e65737350726f6265223a7b222e223a7b7d2c22663a68747470476574223a7b222e223a7b7d2c22663a70617468223a7b7d2c22663a706f7274223a7b7d2c22663a736368656d65223a7b7d7d2c22663a696e697469616c44656c61795365636f6e6473223a7b7d2c22663a706572696f645365636f6e6473223a7b7d7d2c22663a6e616d65223a7b7d2c22663a706f727473223a7b222e223a7b7d2c226b3a7b5c22636f6e7461696e6572506f72745c223a35332c5c2270726f746f636f6c5c223a5c225544505c227d223a7b222e223a7b7d2c22663a636f6e7461696e6572506f7274223a7b7d2c22663a6e616d65223a7b7d2c22663a70726f746f636f6c223a7b7d7d2c226b3a7b5c22636f6e7461696e6572506f72745c223a38302c5c2270726f746f636f6c5c223a5c225443505c227d223a7b222e223a7b7d2c22663a636f6e7461696e6572506f7274223a7b7d7d7d2c22663a7265736f7572636573223a7b222e223a7b7d2c22663a6c696d697473223a7b222e223a7b7d2c22663a637075223a7b7d2c22663a6d656d6f7279223a7b7d7d2c22663a7265717565737473223a7b222e223a7b7d2c22663a637075223a7b7d2c22663a6578616d706c652e636f6d2f677075223a7b7d7d7d2c22663a7365637572697479436f6e74657874223a7b222e223a7b7d2c22663a616c6c6f7750726976696c656765457363616c6174696f6e223a7b7d2c22663a6361706162696c6974696573223a7b222e223a7b7d2c22663a64726f70223a7b7d7d2c22663a72756e417355736572223a7b7d7d2c22663a7374617274757050726f6265223a7b222e223a7b7d2c22663a746370536f636b6574223a7b222e223a7b7d2c22663a706f7274223a7b7d7d7d7d7d2c22663a7072696f72697479223a7b7d2c22663a7365637572697479436f6e74657874223a7b222e223a7b7d2c22663a667347726f7570223a7b7d2c22663a737570706c656d656e74616c47726f757073223a7b7d7d2c22663a7465726d696e6174696f6e4772616365506572696f645365636f6e6473223a7b7d2c22663a746f6c65726174696f6e73223a7b7d2c22663a766f6c756d6573223a7b222e223a7b7d2c226b3a7b5c226e616d655c223a5c226366675c227d223a7b222e223a7b7d2c22663a636f6e6669674d6170223a7b222e223a7b7d2c22663a64656661756c744d6f6465223a7b7d2c22663a6974656d73223a7b7d2c22663a6e616d65223a7b7d7d2c22663a6e616d65223a7b7d7d2c226b3a7b5c226e616d655c223a5c22736372617463685c227d223a7b222e223a7b7d2c22663a656d707479446972223a7b222e223a7b7d2c22663a6d656469756d223a7b7d2c22663a73697a654c696d6974223a7b7d7d2c22663a6e616d65223a7b7d7d7d7d2c22663a737461747573223a7b22663a636f6e7461696e65725374617475736573223a7b7d2c22663a7068617365223a7b7d2c22663a706f644950223a7b7d2c22663a737461727454696d65223a7b7d7d7d420012b7030a250a03636667121e9a011b0a0a0a0873657474696e6773120a0a01611205612e74787418a4030a1d0a0773637261746368121212100a064d656d6f727912060a0436344d691296020a03617070120762757379626f781a0273681a022d631a08736c6565702031642a00320a0a001000185022002a0032100a03646e731000183522035544502a003a060a01411201783a1a0a014212001a130a110a00120d6d657461646174612e6e616d6542490a0d0a0363707512060a043530306d0a110a066d656d6f727912070a053132384d69120d0a0363707512060a043130306d12160a0f6578616d706c652e636f6d2f67707512030a0131522c0a20121e0a082f6865616c74687a120a080110001a04687474701a0022044854545010031800200a280030006a0072007a0b0a051203414c4c20003800800100880100900100a20100b201190a0d1a0b0a07080010903f1a001200100018002000280030001a0020808080808020320042004a005200580060006800720920e80720d00f28d00f8201008a01009a0100b2011b0a016b12064578697374731a00220a4e6f5363686564756c65283cc20100c801fbffffffffffffffff011a540a0752756e6e696e671a0022002a00320831302e302e302e353a0808a0a5c8b106100042290a03617070120c120a0a0808a1a5c8b10610001a0020012800320762757379626f783a0373686142004a005a0072001a002200",
  PODDecoded:
    "{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\",\"labels\":{\"A\":\"upper\",\"z\":\"last\",\"é\":\"accent\",\"😀\":\"astral\"},\"annotations\":{\"a\":\"1\",\"b\":\"2\"},\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"rs\",\"uid\":\"u\",\"controller\":true}],\"managedFields\":[{\"manager\":\"kubelet\",\"operation\":\"Update\",\"apiVersion\":\"v1\",\"time\":\"2026-11-25T17:45:46Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:annotations\":{\".\":{},\"f:a\":{},\"f:b\":{}},\"f:labels\":{\".\":{},\"f:A\":{},\"f:z\":{},\"f:é\":{},\"f:😀\":{}},\"f:ownerReferences\":{\".\":{},\"k:{\\\"uid\\\":\\\"u\\\"}\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"app\\\"}\":{\".\":{},\"f:command\":{},\"f:env\":{\".\":{},\"k:{\\\"name\\\":\\\"A\\\"}\":{\".\":{},\"f:name\":{},\"f:value\":{}},\"k:{\\\"name\\\":\\\"B\\\"}\":{\".\":{},\"f:name\":{},\"f:valueFrom\":{\".\":{},\"f:fieldRef\":{}}}},\"f:image\":{},\"f:livenessProbe\":{\".\":{},\"f:httpGet\":{\".\":{},\"f:path\":{},\"f:port\":{},\"f:scheme\":{}},\"f:initialDelaySeconds\":{},\"f:periodSeconds\":{}},\"f:name\":{},\"f:ports\":{\".\":{},\"k:{\\\"containerPort\\\":53,\\\"protocol\\\":\\\"UDP\\\"}\":{\".\":{},\"f:containerPort\":{},\"f:name\":{},\"f:protocol\":{}},\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},\"f:containerPort\":{}}},\"f:resources\":{\".\":{},\"f:limits\":{\".\":{},\"f:cpu\":{},\"f:memory\":{}},\"f:requests\":{\".\":{},\"f:cpu\":{},\"f:example.com/gpu\":{}}},\"f:securityContext\":{\".\":{},\"f:allowPrivilegeEscalation\":{},\"f:capabilities\":{\".\":{},\"f:drop\":{}},\"f:runAsUser\":{}},\"f:startupProbe\":{\".\":{},\"f:tcpSocket\":{\".\":{},\"f:port\":{}}}}},\"f:priority\":{},\"f:securityContext\":{\".\":{},\"f:fsGroup\":{},\"f:supplementalGroups\":{}},\"f:terminationGracePeriodSeconds\":{},\"f:tolerations\":{},\"f:volumes\":{\".\":{},\"k:{\\\"name\\\":\\\"cfg\\\"}\":{\".\":{},\"f:configMap\":{\".\":{},\"f:defaultMode\":{},\"f:items\":{},\"f:name\":{}},\"f:name\":{}},\"k:{\\\"name\\\":\\\"scratch\\\"}\":{\".\":{},\"f:emptyDir\":{\".\":{},\"f:medium\":{},\"f:sizeLimit\":{}},\"f:name\":{}}}},\"f:status\":{\"f:containerStatuses\":{},\"f:phase\":{},\"f:podIP\":{},\"f:startTime\":{}}}}]},\"spec\":{\"volumes\":[{\"name\":\"cfg\",\"configMap\":{\"name\":\"settings\",\"items\":[{\"key\":\"a\",\"path\":\"a.txt\"}],\"defaultMode\":420}},{\"name\":\"scratch\",\"emptyDir\":{\"medium\":\"Memory\",\"sizeLimit\":\"64Mi\"}}],\"containers\":[{\"name\":\"app\",\"image\":\"busybox\",\"command\":[\"sh\",\"-c\",\"sleep 1d\"],\"ports\":[{\"containerPort\":80},{\"name\":\"dns\",\"containerPort\":53,\"protocol\":\"UDP\"}],\"env\":[{\"name\":\"A\",\"value\":\"x\"},{\"name\":\"B\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"metadata.name\"}}}],\"resources\":{\"limits\":{\"cpu\":\"500m\",\"memory\":\"128Mi\"},\"requests\":{\"cpu\":\"100m\",\"example.com/gpu\":\"1\"}},\"livenessProbe\":{\"httpGet\":{\"path\":\"/healthz\",\"port\":\"http\",\"scheme\":\"HTTP\"},\"initialDelaySeconds\":3,\"periodSeconds\":10},\"startupProbe\":{\"tcpSocket\":{\"port\":8080}},\"securityContext\":{\"capabilities\":{\"drop\":[\"ALL\"]},\"runAsUser\":0,\"allowPrivilegeEscalation\":false}}],\"terminationGracePeriodSeconds\":1099511627776,\"securityContext\":{\"supplementalGroups\":[1000,2000],\"fsGroup\":2000},\"tolerations\":[{\"key\":\"k\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\",\"tolerationSeconds\":60}],\"priority\":-5},\"status\":{\"phase\":\"Running\",\"podIP\":\"10.0.0.5\",\"startTime\":\"2024-05-01T10:00:00Z\",\"containerStatuses\":[{\"name\":\"app\",\"state\":{\"running\":{\"startedAt\":\"2024-05-01T10:00:01Z\"}},\"ready\":true,\"restartCount\":0,\"image\":\"busybox\",\"imageID\":\"sha\"}]}}",
  EVENTHex:
    "6b3873000a190a106576656e74732e6b38732e696f2f763112054576656e7412b5010a1a0a03652e3112001a0764656661756c7422002a00320038004200120b08a0a5c8b106108094ef3a1a0d0802120908a9a5c8b10610e80722076b7562656c65742a066e6f64652d31320750756c6c696e673a0750756c6c696e6742300a03506f64120764656661756c741a01702201752a02763132003a14737065632e636f6e7461696e6572737b6170707d521250756c6c696e6720696d616765203cc3a93e5a064e6f726d616c62040a0012006a00720078001a002200",
  EVENTDecoded:
    "{\"metadata\":{\"name\":\"e.1\",\"namespace\":\"default\"},\"eventTime\":\"2024-05-01T10:00:00.123456Z\",\"series\":{\"count\":2,\"lastObservedTime\":\"2024-05-01T10:00:09.000001Z\"},\"reportingController\":\"kubelet\",\"reportingInstance\":\"node-1\",\"action\":\"Pulling\",\"reason\":\"Pulling\",\"regarding\":{\"kind\":\"Pod\",\"namespace\":\"default\",\"name\":\"p\",\"uid\":\"u\",\"apiVersion\":\"v1\",\"fieldPath\":\"spec.containers{app}\"},\"note\":\"Pulling image <é>\",\"type\":\"Normal\"}",
  SECRETHex:
    "6b3873000a0c0a027631120653656372657412390a110a017312001a0022002a0032003800420012090a05656d7074791200120f0a07746c732e6b65791204000102ff1a064f706171756528001a002200",
  SECRETDecoded:
    "{\"metadata\":{\"name\":\"s\"},\"immutable\":false,\"data\":{\"empty\":\"\",\"tls.key\":\"AAEC/w==\"},\"type\":\"Opaque\"}",
  REVISIONHex:
    "6b3873000a1d0a07617070732f76311212436f6e74726f6c6c65725265766973696f6e12510a180a087765622d3564386612001a0022002a0032003800420012330a317b2273706563223a7b2274656d706c617465223a7b2262223a312c2261223a5b747275652c6e756c6c2c2278225d7d7d7d18031a002200",
  REVISIONDecoded:
    "{\"metadata\":{\"name\":\"web-5d8f\"},\"data\":{\"spec\":{\"template\":{\"b\":1,\"a\":[true,null,\"x\"]}}},\"revision\":3}",
  SERVICEHex:
    "6b3873000a0d0a027631120753657276696365127f0a110a017312001a0022002a0032003800420012660a1a0a0468747470120354435018502209080110001a0377656228000a160a016d1203544350188247220708001083471a002800120a0a0361707012037765621a002209436c757374657249503a00420052005a006000680092010a31302e39362e302e31301a020a001a002200",
  SERVICEDecoded:
    "{\"metadata\":{\"name\":\"s\"},\"spec\":{\"ports\":[{\"name\":\"http\",\"protocol\":\"TCP\",\"port\":80,\"targetPort\":\"web\"},{\"name\":\"m\",\"protocol\":\"TCP\",\"port\":9090,\"targetPort\":9091}],\"selector\":{\"app\":\"web\"},\"clusterIPs\":[\"10.96.0.10\"],\"type\":\"ClusterIP\"}}",
  LISTHex:
    "6b3873000a190a07617070732f7631120e4465706c6f796d656e744c697374128c010a0d0a00120234321a03746f6b2000127b0a110a016112001a0022002a00320038004200125808011a4c0a100a0012001a0022002a003200380042001238121a0a01631201692a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200",
  LISTDecoded:
    "{\"metadata\":{\"resourceVersion\":\"42\",\"continue\":\"tok\",\"remainingItemCount\":0},\"items\":[{\"metadata\":{\"name\":\"a\"},\"spec\":{\"replicas\":1,\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}}]}",
};

const schemas = builtinSchemas();
const codec = new ProtobufCodec(schemas);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function typeOf(o: ApiObject): string {
  const av = String(o.apiVersion);
  const [g, v] = av.includes('/') ? av.split('/') : ['', av];
  const t = schemas.kind(g, v, String(o.kind));
  if (!t) throw new Error(`no type for ${av} ${String(o.kind)}`);
  return t.name;
}

/** Runs the recorded scenario: create, update, apply of the Deployment, and a Pod create. */
function scenario() {
  let t = Date.parse('2026-11-25T16:44:46.750Z');
  const fm = new FieldManager(schemas, { now: () => new Date(t) });
  const created = structuredClone(DEPLOYMENT);
  fm.update('io.k8s.api.apps.v1.Deployment', 'apps/v1', null, created, 'kubectl-create', {});
  t += 3600_000;
  const next = structuredClone(created);
  next.spec.replicas = 3;
  next.spec.template.spec.containers[0].image = 'nginx:2';
  next.metadata.labels.tier = 'front';
  delete next.spec.template.spec.containers[0].imagePullPolicy;
  next.spec.template.spec.containers.push({ name: 'side', image: 'busybox' });
  next.status = { replicas: 3 };
  fm.update('io.k8s.api.apps.v1.Deployment', 'apps/v1', created, next, 'kubectl-edit', { resetFields: [['status']] });
  t += 60_000;
  const patch = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { team: 'x' } }, spec: { replicas: 5, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:3' }] } } } };
  const applied = fm.apply('io.k8s.api.apps.v1.Deployment', 'apps/v1', next, patch, 'ssa', true, { resetFields: [['status']] });
  const pod = structuredClone(POD);
  fm.update('io.k8s.api.core.v1.Pod', 'v1', null, pod, 'kubelet', {});
  return { created, next, applied, pod };
}

describe('perf pins: managedFields', () => {
  const { created, next, applied, pod } = scenario();
  it('a Deployment create records the exact FieldsV1 of kubectl-create', () => {
    assert.equal(JSON.stringify(created.metadata.managedFields), PINS.createManaged);
  });
  it('an update moves changed fields to the new manager, leaving status out', () => {
    assert.equal(JSON.stringify(next.metadata.managedFields), PINS.updateManaged);
  });
  it('a forced apply takes fields over from both update managers', () => {
    assert.equal(JSON.stringify(applied.metadata.managedFields), PINS.applyManaged);
  });
  it('a Pod create with keyed ports, env and non-ASCII labels', () => {
    assert.equal(JSON.stringify(pod.metadata.managedFields), PINS.podManaged);
  });
});

describe('perf pins: protobuf bytes', () => {
  const { created, pod } = scenario();
  it('the created Deployment, managedFields included, encodes and decodes exactly', () => {
    const body = codec.encodeObject(created);
    assert.equal(hex(body), PINS.deploymentHex);
    const env = codec.unwrap(body);
    assert.equal(JSON.stringify(codec.decode('io.k8s.api.apps.v1.Deployment', env.raw)), PINS.deploymentDecoded);
  });
  const cases: Array<[string, ApiObject, string, string]> = [
    ['POD', pod, PINS.PODHex, PINS.PODDecoded],
    ['EVENT', EVENT, PINS.EVENTHex, PINS.EVENTDecoded],
    ['SECRET', SECRET, PINS.SECRETHex, PINS.SECRETDecoded],
    ['REVISION', REVISION, PINS.REVISIONHex, PINS.REVISIONDecoded],
    ['SERVICE', SERVICE, PINS.SERVICEHex, PINS.SERVICEDecoded],
    ['LIST', LIST, PINS.LISTHex, PINS.LISTDecoded],
  ];
  for (const [name, obj, wantHex, wantJson] of cases) {
    it(`${name} encodes to the recorded bytes and decodes to the recorded JSON`, () => {
      const body = codec.encodeObject(obj);
      assert.equal(hex(body), wantHex);
      const env = codec.unwrap(body);
      assert.equal(JSON.stringify(codec.decode(typeOf(obj), env.raw)), wantJson);
    });
  }
});
