"""This assignment's own messages, in English and Korean; they join the grader's catalog when it is loaded."""

MESSAGES: dict[str, dict[str, str]] = {
    "activations.context": {
        "en": "`{name}` of an input of shape {shape}",
        "ko": "`{name}`(입력의 형태 {shape})",
    },
    "activations.mismatch": {
        "en": "{what}: values differ from TensorFlow's `tf.nn.{name}`; first difference at {index}, off by "
              "{diff:.3g} ({count} of {total} values differ)",
        "ko": "{what}: TensorFlow의 `tf.nn.{name}` 결과와 다릅니다. 처음 어긋나는 곳은 {index}{이고/고} 차이는 "
              "{diff:.3g}입니다(값 {total}개 중 {count}개가 다름).",
    },
    "activations.sigmoid_sign": {
        "en": "{what}: your output is 1 / (1 + exp(x)), the sigmoid of -x: the sign in the exponent is flipped",
        "ko": "{what}: 출력이 `1 / (1 + exp(x))`, 곧 -x의 시그모이드입니다. 지수의 부호가 반대로 되어 있습니다.",
    },
    "activations.relu_inverted": {
        "en": "{what}: your output keeps the negative values and sets the positive ones to 0: ReLU is max(x, 0)",
        "ko": "{what}: 출력에서 음수는 그대로 두고 양수를 0으로 만들었습니다. ReLU는 `max(x, 0)`입니다.",
    },
    "activations.softmax_axis": {
        "en": "{what}: your output is normalized over the wrong axis: each row (the last axis) must sum to 1",
        "ko": "{what}: 출력을 정규화한 축이 잘못되었습니다. 행마다, 곧 마지막 축을 따라 더한 합이 1이어야 합니다.",
    },
    "activations.softmax_not_normalized": {
        "en": "{what}: your output is exp(x): divide it by its sum over the last axis",
        "ko": "{what}: 출력이 `exp(x)`에서 멈췄습니다. 마지막 축을 따라 더한 합으로 나누어야 합니다.",
    },
    "activations.softmax_overflow": {
        "en": "{what}: your output holds NaN or infinity for large inputs, because exp overflows; subtract each "
              "row's maximum before exp (the softmax stays the same)",
        "ko": "{what}: 입력값이 크면 출력에 NaN이나 무한대 값이 나옵니다. `exp`의 결과가 너무 커지기 때문입니다. "
              "`exp`를 계산하기 전에 행마다 최댓값을 빼세요(소프트맥스 값은 달라지지 않습니다).",
    },
}
