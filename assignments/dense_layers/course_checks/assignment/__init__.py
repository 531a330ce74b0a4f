"""Dense layers in TensorFlow/Keras: the exercise list, the one place that names each exercise, its
points and its signature (in English and in Korean).

The master notebook's grade cells (stamped by `autograder assign`), the hidden tests, the grader, the
reports and the gradebook all read this list.
"""

from course_checks.exercises import NO_KERAS_LAYER, NO_MATRIX_PRODUCT, MUST_LOOP, WRITTEN_OUT_SIGMOID, Exercise

EXERCISES: tuple[Exercise, ...] = (
    Exercise("dense_shapes", "Shapes of a dense layer", 5, "function",
             "dense_shapes(N, n_feature, n_neuron)", "1.1", "Shapes of a dense layer",
             title_ko="Dense 층의 형태", section_title_ko="Dense 층의 형태"),
    Exercise("dense_forward_matmul", "Forward pass by matrix multiplication", 15, "function",
             'dense_forward_matmul(X, W, B, activation="sigmoid")', "1.2.2", "With a matrix multiplication",
             (NO_KERAS_LAYER, WRITTEN_OUT_SIGMOID), (0,),
             title_ko="행렬 곱으로 계산하는 순전파", section_title_ko="행렬 곱으로 계산하기"),
    Exercise("dense_forward_dot", "Forward pass by dot products in loops", 15, "function",
             'dense_forward_dot(X, W, B, activation="sigmoid")', "1.2.3", "With dot products",
             (NO_KERAS_LAYER, NO_MATRIX_PRODUCT, MUST_LOOP), (0,),
             title_ko="반복문과 내적으로 계산하는 순전파", section_title_ko="내적으로 계산하기"),
    Exercise("cascade_shapes", "Shapes through a cascade", 5, "function",
             "cascade_shapes(N, n_feature, n_neurons)", "2.1", "Shapes through a cascade",
             title_ko="캐스케이드를 지나는 형태", section_title_ko="캐스케이드를 지나는 형태"),
    Exercise("build_dense_layers", "A Python list of dense layers", 5, "model_factory",
             'build_dense_layers(n_neurons, activation="sigmoid")', "2.2", "Dense layers in a Python list",
             title_ko="Dense 층을 담은 파이썬 리스트", section_title_ko="파이썬 리스트에 담은 Dense 층"),
    Exercise("cascade_forward", "A cascade computed by hand", 10, "function",
             'cascade_forward(X, weights, biases, activation="sigmoid")', "2.3", "The cascade computed by hand",
             (NO_KERAS_LAYER,), (0,),
             title_ko="직접 계산하는 캐스케이드", section_title_ko="직접 계산하는 캐스케이드"),
    Exercise("build_sequential", "A Sequential model", 5, "model_factory",
             'build_sequential(n_neurons, activation="sigmoid")', "3.1", "A Sequential model",
             title_ko="Sequential 모델", section_title_ko="Sequential 모델"),
    Exercise("TestModel", "Model subclassing", 20, "model_class",
             'class TestModel(n_neurons=(10, 20), activation="sigmoid")', "3.3", "Forward propagation of models",
             title_ko="모델 서브클래싱", section_title_ko="모델의 순전파"),
    Exercise("HybridModel", "A subclass that wraps a Sequential", 5, "model_class",
             'class HybridModel(n_neurons=(10, 20), activation="sigmoid")', "3.3", "Forward propagation of models",
             title_ko="Sequential을 감싼 서브클래스 모델", section_title_ko="모델의 순전파"),
    Exercise("layer_weight_shapes", "Layers and their weights", 5, "model_function",
             "layer_weight_shapes(model)", "3.4", "The layers of a model",
             title_ko="층과 가중치", section_title_ko="모델의 층"),
    Exercise("trainable_variable_shapes", "Trainable variables", 5, "model_function",
             "trainable_variable_shapes(model)", "3.5", "Trainable variables",
             title_ko="학습 변수", section_title_ko="학습 변수"),
    Exercise("architecture_concept", "What is a deep-learning architecture?", 5, "manual",
             "", "4", "Looking back",
             title_ko="딥러닝 아키텍처란 무엇인가?", section_title_ko="돌아보기"),
)
