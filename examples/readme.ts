import { add, backward, matmul, mseLoss, param, sigmoid, tensor } from 'deltagraph';

const X = tensor([[0, 1], [1, 0], [1, 1]]);          // 3 examples, 2 features
const y = tensor([[1], [1], [0]]);
const W = param([[0.5, -0.3], [0.8, 0.2]]);            // parameters are leaves
const b = param([0.1, -0.1]);
const Z = add(matmul(X, W), b);                        // pre-activation
const loss = mseLoss(matmul(sigmoid(Z), [[1], [-1]]), y);
const grads = backward(loss);                          // one pass, every edge
console.log('loss', loss.item());
console.log('∂loss/∂W', grads.get(W).toArray());
console.log('delta ∂loss/∂Z', grads.get(Z).toArray());
